package oracle.exchange;

import io.vertx.ext.web.client.WebClient;
import java.util.List;

/** Builds the adapter of a configured source. */
public final class ExchangeAdapters {
  /** Every source the oracle has an adapter for: the values {@code exchanges} may list. */
  public static final List<String> KNOWN_SOURCES =
      List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit", "uniswap");

  private ExchangeAdapters() {}

  public static ExchangeAdapter create(
      WebClient client, SourceSettings settings, List<String> symbols) {
    return switch (settings.name()) {
      case "binance" -> new BinanceAdapter(client, settings, symbols);
      case "coinbase" -> new CoinbaseAdapter(client, settings, symbols);
      case "kraken" -> new KrakenAdapter(client, settings, symbols);
      case "okx" -> new OkxAdapter(client, settings, symbols);
      case "bybit" -> new BybitAdapter(client, settings, symbols);
      case "upbit" -> new UpbitAdapter(client, settings, symbols);
      case "uniswap" -> new UniswapV3Adapter(client, settings, symbols);
      default -> throw new IllegalArgumentException("no adapter for source " + settings.name());
    };
  }
}
