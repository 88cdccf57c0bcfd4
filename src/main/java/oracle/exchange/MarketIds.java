package oracle.exchange;

/**
 * Default market ids per exchange convention: Binance and Bybit {@code BTCUSDT}, OKX and Coinbase
 * {@code BTC-USDT}, Kraken {@code XBTUSDT}, Upbit {@code KRW-BTC} (always the KRW market, converted
 * through the configured USDT/KRW rate). Configuration overrides any of them per symbol.
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

  /** Kraken calls bitcoin XBT and dogecoin XDG. */
  private static String kraken(String asset) {
    return switch (asset) {
      case "BTC" -> "XBT";
      case "DOGE" -> "XDG";
      default -> asset;
    };
  }

  /**
   * Kraken's legacy asset names (as in {@code AssetPairs} {@code base}/{@code quote}): X/Z +
   * 3-letter code.
   */
  private static final java.util.Set<String> KRAKEN_LEGACY =
      java.util.Set.of(
          "XXBT", "XXDG", "XETH", "XETC", "XLTC", "XXRP", "XXLM", "XXMR", "XZEC", "XMLN", "XREP",
          "ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "ZAUD", "ZCHF");

  /**
   * The canonical name of an asset as {@code exchange} names it: the reverse of the conventions
   * above, used by market discovery so that discovered markets and polled markets agree (Kraken's
   * {@code XBT} and legacy {@code XXBT} are {@code BTC}, {@code XDG}/{@code XXDG} {@code DOGE},
   * {@code ZUSD} {@code USD}).
   */
  public static String canonicalAsset(String exchange, String asset) {
    String a = asset.toUpperCase(java.util.Locale.ROOT);
    if (!exchange.equals("kraken")) return a;
    if (KRAKEN_LEGACY.contains(a)) a = a.substring(1);
    return switch (a) {
      case "XBT" -> "BTC";
      case "XDG" -> "DOGE";
      default -> a;
    };
  }
}
