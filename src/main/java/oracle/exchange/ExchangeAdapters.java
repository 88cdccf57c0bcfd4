package oracle.exchange;

import io.vertx.ext.web.client.WebClient;
import java.util.List;

/** Builds the adapter of a configured source through its {@link ExchangeSpec}. */
public final class ExchangeAdapters {
  private ExchangeAdapters() {}

  public static ExchangeAdapter create(
      WebClient client, SourceSettings settings, List<String> symbols) {
    return Exchanges.spec(settings.name()).factory().create(client, settings, symbols);
  }
}
