package oracle.exchange;

import java.util.Locale;

/**
 * One exchange's market-id convention: which market a canonical symbol is read from, the currency a
 * configured market id is quoted in, and the exchange's asset names made canonical (the reverse,
 * used by discovery so that discovered and polled markets agree).
 */
public interface MarketRule {
  /** The conventional market of {@code base/quote}. */
  Market derive(String base, String quote);

  /**
   * The quote currency of a market id configured by hand for a symbol quoted in {@code
   * symbolQuote}; by default the symbol's quote.
   */
  default String quoteOfId(String marketId, String symbolQuote) {
    return symbolQuote;
  }

  /** An asset as this exchange names it, in canonical (upper-case) form. */
  default String canonicalAsset(String asset) {
    return asset.toUpperCase(Locale.ROOT);
  }

  /** Base and quote joined by {@code separator}: {@code BTCUSDT} or {@code BTC-USDT}. */
  static MarketRule joined(String separator) {
    return (base, quote) -> new Market(base + separator + quote, quote);
  }

  /**
   * The canonical symbol itself: sources that read configured pools, not markets (Uniswap), and
   * names no spec describes.
   */
  MarketRule SYMBOL = (base, quote) -> new Market(base + "/" + quote, quote);
}
