package oracle.exchange;

/**
 * The two halves of a canonical symbol ({@code BTC/USDT}). Each exchange's market-id convention is
 * its {@link ExchangeSpec#markets} rule, looked up by name in {@code
 * oracle.exchange.registry.Exchanges}.
 */
public final class MarketIds {
  private MarketIds() {}

  public static String base(String symbol) {
    return symbol.substring(0, symbol.indexOf('/'));
  }

  public static String quote(String symbol) {
    return symbol.substring(symbol.indexOf('/') + 1);
  }
}
