package oracle.exchange;

import java.util.List;
import java.util.Optional;

/**
 * Every exchange the oracle can read, one {@link ExchangeSpec} each (as cryptofeed's {@code
 * EXCHANGE_MAP}): the only list of exchange names in the main code. Adding an exchange is its
 * adapter with its spec, one line here, and its test fixtures (README, "Adding an exchange").
 */
public final class Exchanges {
  private Exchanges() {}

  /** In the order of the default {@code exchanges} list and of {@link #NAMES}. */
  public static final List<ExchangeSpec> ALL =
      List.of(
          BinanceAdapter.SPEC,
          CoinbaseAdapter.SPEC,
          KrakenAdapter.SPEC,
          OkxAdapter.SPEC,
          BybitAdapter.SPEC,
          UpbitAdapter.SPEC,
          UniswapV3Adapter.SPEC);

  /** Every known source name (valid in {@code exchanges}, {@code sources.*}, rates). */
  public static final List<String> NAMES = ALL.stream().map(ExchangeSpec::name).toList();

  /** The sources enabled when the configuration does not list {@code exchanges}. */
  public static final List<String> DEFAULT_ENABLED =
      ALL.stream().filter(ExchangeSpec::enabledByDefault).map(ExchangeSpec::name).toList();

  public static Optional<ExchangeSpec> find(String name) {
    for (ExchangeSpec s : ALL) if (s.name().equals(name)) return Optional.of(s);
    return Optional.empty();
  }

  /** The spec of a known source; an unknown name is a programming error (names are validated). */
  public static ExchangeSpec spec(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalArgumentException("no adapter for source " + name));
  }

  /** Whether the named source serves 1-minute klines (false for unknown names). */
  public static boolean hasKlines(String name) {
    return find(name).map(ExchangeSpec::klines).orElse(false);
  }

  /** The market-id rule of a source; the symbol itself for names without a spec. */
  public static MarketRule marketRule(String name) {
    return find(name).map(ExchangeSpec::markets).orElse(MarketRule.SYMBOL);
  }
}
