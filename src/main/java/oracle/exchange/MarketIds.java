package oracle.exchange;

/**
 * Canonical symbols and each exchange's market-id convention ({@link ExchangeSpec#markets}):
 * Binance and Bybit {@code BTCUSDT}, OKX and Coinbase {@code BTC-USDT}, Kraken {@code XBTUSDT},
 * Upbit {@code KRW-BTC} (always the KRW market, converted through the configured USDT/KRW rate).
 * Configuration overrides any of them per symbol.
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
    return Exchanges.marketRule(exchange).derive(base(symbol), quote(symbol));
  }

  /**
   * The canonical name of an asset as {@code exchange} names it: the reverse of its convention,
   * used by market discovery so that discovered markets and polled markets agree (Kraken's {@code
   * XBT} and legacy {@code XXBT} are {@code BTC}).
   */
  public static String canonicalAsset(String exchange, String asset) {
    return Exchanges.marketRule(exchange).canonicalAsset(asset);
  }
}
