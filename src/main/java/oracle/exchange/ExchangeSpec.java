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
 * @param defaultBurst the token bucket's default capacity ({@code rateLimit.burst}); 0 = twice the
 *     rate (at least 2). A venue that counts bursts itself gets one that cannot draw its 429: a
 *     full bucket spent at once, then the rate, must stay within the venue's own burst allowance
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

  /** Without a venue burst: the bucket holds twice the rate. */
  public ExchangeSpec(
      String name,
      String defaultUrl,
      double defaultRequestsPerSecond,
      MarketRule markets,
      boolean enabledByDefault,
      boolean klines,
      Optional<InstrumentEndpoint> instruments,
      boolean pools,
      Factory factory,
      VenueFake fake) {
    this(
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
        0);
  }

  /** This spec with the bucket's default capacity {@code burst}. */
  public ExchangeSpec withBurst(int burst) {
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

  /**
   * The token bucket's default capacity: the venue's at its default rate, else twice the rate (at
   * least 2): an operator who configured a faster rate (a higher tier) is not held to the public
   * tier's burst.
   */
  public int burstFor(double requestsPerSecond) {
    return defaultBurst > 0 && requestsPerSecond == defaultRequestsPerSecond
        ? defaultBurst
        : (int) Math.max(2, Math.ceil(requestsPerSecond * 2));
  }

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
        fake);
  }
}
