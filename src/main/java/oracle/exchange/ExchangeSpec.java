package oracle.exchange;

import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the oracle knows about one exchange apart from its wire format: its configuration
 * name, public endpoint and request budget, market-id rule and capabilities, and how to build its
 * adapter and its fake. Each venue package declares its spec beside its adapter ({@code
 * oracle.exchange.binance.BinanceAdapter.SPEC}); {@code oracle.exchange.registry.Exchanges.ALL}
 * collects them, and the known source names, URL defaults, {@code ORACLE_<NAME>_URL} overrides and
 * the backfill's kline sources all follow from that list.
 *
 * @param name lower-case source name as in configuration, metrics and logs
 * @param defaultUrl public base URL ({@code sources.<name>.url}, {@code ORACLE_<NAME>_URL})
 * @param defaultRequestsPerSecond default token-bucket rate, below the venue's published limit
 * @param markets the market-id convention and asset names
 * @param enabledByDefault whether it is in the default {@code exchanges} list
 * @param klines whether it serves 1-minute kline history (backfill, minute volumes)
 * @param instruments where it lists its markets (whole-market discovery); empty when it has no such
 *     list (Uniswap reads configured pools)
 * @param pools whether it reads configured pools ({@code sources.<name>.pools}) instead of markets
 * @param factory builds its adapter
 * @param fake its fake: the wire format the fake exchange server serves for it (tests, dev mode)
 * @param defaultBurst default token-bucket burst, at most the venue's published burst; 0: twice the
 *     rate (at least 2)
 */
public record ExchangeSpec(
    String name,
    String defaultUrl,
    double defaultRequestsPerSecond,
    MarketRule markets,
    boolean enabledByDefault,
    boolean klines,
    Optional<InstrumentEndpoint> instruments,
    boolean pools,
    Factory factory,
    VenueFake fake,
    int defaultBurst) {

  /** Builds the adapter of one configured source. */
  @FunctionalInterface
  public interface Factory {
    ExchangeAdapter create(WebClient client, SourceSettings settings, List<String> symbols);
  }

  public ExchangeSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(defaultUrl);
    Objects.requireNonNull(markets);
    Objects.requireNonNull(instruments);
    Objects.requireNonNull(factory);
    Objects.requireNonNull(fake);
    if (defaultBurst < 0) throw new IllegalArgumentException("defaultBurst < 0: " + defaultBurst);
  }

  /**
   * This spec with a default burst below the venue's published one (Coinbase: 15 in bursts), where
   * twice the rate would exceed it and the venue would answer 429 to a full bucket's burst.
   */
  public ExchangeSpec withDefaultBurst(int burst) {
    return new ExchangeSpec(
        name,
        defaultUrl,
        defaultRequestsPerSecond,
        markets,
        enabledByDefault,
        klines,
        instruments,
        pools,
        factory,
        fake,
        burst);
  }

  /** The token-bucket burst when {@code rateLimit.burst} is not configured, for {@code rps}. */
  public int burstFor(double rps) {
    int twice = (int) Math.max(2, Math.ceil(rps * 2));
    return defaultBurst > 0 && rps <= defaultRequestsPerSecond
        ? Math.min(defaultBurst, twice)
        : twice;
  }

  /** A centralised exchange: enabled by default, markets, klines and an instrument list. */
  public static ExchangeSpec cex(
      String name,
      String defaultUrl,
      double defaultRequestsPerSecond,
      MarketRule markets,
      InstrumentEndpoint instruments,
      Factory factory,
      VenueFake fake) {
    return new ExchangeSpec(
        name,
        defaultUrl,
        defaultRequestsPerSecond,
        markets,
        true,
        true,
        Optional.of(instruments),
        false,
        factory,
        fake,
        0);
  }
}
