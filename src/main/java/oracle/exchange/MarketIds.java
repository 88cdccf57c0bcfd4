package oracle.exchange;

/**
 * Default market ids per exchange convention (DESIGN.md): Binance and Bybit {@code BTCUSDT}, OKX
 * and Coinbase {@code BTC-USDT}, Kraken {@code XBTUSDT}, Upbit {@code KRW-BTC} (always the KRW
 * market, converted through the configured USDT/KRW rate). Configuration overrides any of them per
 * symbol.
 */
public final class MarketIds {
  private MarketIds() {}

  public static String base(String symbol) {
    return symbol.substring(0, symbol.indexOf('/'));
  }

  public static String quote(String symbol) {
    return symbol.substring(symbol.indexOf('/') + 1);
  }

  /** The conventional market for {@code symbol} on {@code exchange}. */
  public static Market derive(String exchange, String symbol) {
    String base = base(symbol);
    String quote = quote(symbol);
    return switch (exchange) {
      case "binance", "bybit" -> new Market(base + quote, quote);
      case "okx", "coinbase" -> new Market(base + "-" + quote, quote);
      case "kraken" -> new Market(kraken(base) + kraken(quote), quote);
      case "upbit" -> new Market("KRW-" + base, "KRW");
      // Uniswap reads pools, not markets: its "id" is the configured pool address.
      default -> new Market(symbol, quote);
    };
  }

  /** Kraken calls bitcoin XBT. */
  private static String kraken(String asset) {
    return asset.equals("BTC") ? "XBT" : asset;
  }
}
