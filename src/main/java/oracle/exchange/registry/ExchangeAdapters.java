package oracle.exchange.registry;

import io.vertx.ext.web.client.WebClient;
import java.util.List;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.SourceSettings;

/** Builds the adapter of a configured source through its {@link ExchangeSpec}. */
public final class ExchangeAdapters {
  private ExchangeAdapters() {}

  public static ExchangeAdapter create(
      WebClient client, SourceSettings settings, List<String> symbols) {
    return Exchanges.spec(settings.name()).factory().create(client, settings, symbols);
  }
}
