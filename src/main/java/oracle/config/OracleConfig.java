package oracle.config;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;

/**
 * The validated configuration of one oracle instance. Built once at start from the merged JSON
 * (file + environment); a bad key stops the process with a {@link ConfigException} naming it. Each
 * verticle receives {@link #json()} as its deployment config and reads its own typed view.
 */
public record OracleConfig(
    String instanceId,
    int httpPort,
    String redisUrl,
    String pgUrl,
    String pgReadUrl,
    int pgPoolSize,
    PgFactory.SessionLimits pgLimits,
    LeaderSettings leader,
    List<String> symbols,
    List<String> exchanges,
    Optional<String> adminToken,
    int rateLimit,
    JsonObject json) {

  public static final Pattern SYMBOL = Pattern.compile("^[A-Z0-9]{1,20}/[A-Z0-9]{1,20}$");

  /** Every source an {@link oracle.exchange.ExchangeSpec} describes. */
  public static final List<String> KNOWN_SOURCES = oracle.exchange.Exchanges.NAMES;

  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0";
  public static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test";

  /** Leader-election timings: lease TTL, heartbeat (renewal) period, and follower retry period. */
  public record LeaderSettings(long ttlMs, long heartbeatMs, long retryMs) {
    static LeaderSettings from(ConfigReader r) {
      long ttl = r.longValue("ttlMs", 30_000, 200, 600_000);
      long heartbeat = r.longValue("heartbeatMs", 10_000, 50, 600_000);
      if (heartbeat * 2 > ttl)
        throw new ConfigException(
            r.key("heartbeatMs"), "at most half of leader.ttlMs (" + ttl + ")", heartbeat);
      long retry = r.longValue("retryMs", 1_000, 50, 600_000);
      return new LeaderSettings(ttl, heartbeat, retry);
    }
  }

  public static OracleConfig from(JsonObject json) {
    ConfigReader r = new ConfigReader(json);
    String instanceId = r.string("instanceId", null);
    if (instanceId == null || instanceId.isBlank()) instanceId = defaultInstanceId();
    int port = r.section("http").intValue("port", 8080, 0, 65535);
    String redisUrl = redisUrl(r.section("redis"));
    ConfigReader pg = r.section("postgres");
    String pgUrl = pg.url("url", DEFAULT_PG_URL, "postgresql", "postgres");
    // API reads may go to a read replica or a pooler; the flush, backfill, migrations and fencing
    // never do.
    String pgReadUrl = pg.url("readUrl", pgUrl, "postgresql", "postgres");
    int poolSize = pg.intValue("poolSize", 8, 1, 200);
    LeaderSettings leader = LeaderSettings.from(r.section("leader"));
    PgFactory.SessionLimits defaults = PgFactory.SessionLimits.DEFAULT;
    // A leader frozen inside a transaction must lose its fence-row lock before the next one is
    // elected.
    PgFactory.SessionLimits pgLimits =
        new PgFactory.SessionLimits(
            pg.longValue("statementTimeoutMs", defaults.statementTimeoutMs(), 0, 3_600_000),
            pg.longValue("lockTimeoutMs", defaults.lockTimeoutMs(), 0, 3_600_000),
            pg.longValue(
                "idleInTransactionTimeoutMs",
                Math.min(defaults.idleInTransactionTimeoutMs(), leader.ttlMs() / 2),
                1,
                leader.ttlMs() - 1));
    // "auto": whole-market mode; the deployment discovers the list (oracle.discovery) before
    // anything runs.
    boolean auto = oracle.discovery.DiscoverySettings.auto(json);
    if (auto) oracle.discovery.DiscoverySettings.from(r.section("discovery"));
    List<String> symbols =
        auto ? List.of() : r.stringList("symbols", List.of("BTC/USDT", "ETH/USDT"));
    for (String s : symbols) {
      if (!SYMBOL.matcher(s).matches())
        throw new ConfigException("symbols", "canonical symbols like BTC/USDT", s);
    }
    List<String> exchanges = r.stringList("exchanges", oracle.exchange.Exchanges.DEFAULT_ENABLED);
    for (String e : exchanges) {
      if (!KNOWN_SOURCES.contains(e))
        throw new ConfigException("exchanges", "sources among " + KNOWN_SOURCES, e);
    }
    // Every section is checked here, before anything starts, so a bad value names its key at once.
    oracle.polling.IngestionSettings.from(r, symbols, exchanges); // ingestion.* and sources.*
    oracle.flush.FlushSettings.from(r.section("flush"));
    oracle.backfill.BackfillSettings.from(r.section("backfill"));
    oracle.storage.Schema.flavorSetting(r.section("storage"));
    oracle.http.market.MarketSettings.from(r.section("http"));
    oracle.http.stream.StreamSettings.from(r.section("http"));
    String token = r.section("admin").string("token", null);
    int rateLimit = r.section("rateLimit").intValue("requests", 100, 1, 10_000_000);
    oracle.http.ratelimit.RateLimitSettings.from(
        r.section("rateLimit"), rateLimit); // its other keys
    return new OracleConfig(
        instanceId,
        port,
        redisUrl,
        pgUrl,
        pgReadUrl,
        poolSize,
        pgLimits,
        leader,
        symbols,
        exchanges,
        Optional.ofNullable(token).filter(t -> !t.isBlank()),
        rateLimit,
        json.copy().put("instanceId", instanceId));
  }

  /**
   * {@code redis://…} (standalone) or {@code
   * redis-sentinel://host:port[,host:port…]/db?master=NAME}.
   */
  private static String redisUrl(ConfigReader redis) {
    String raw = redis.string("url", DEFAULT_REDIS_URL);
    if (raw != null && raw.startsWith(RedisFactory.SENTINEL_SCHEME + "://")) {
      try {
        RedisFactory.Sentinel.parse(raw);
        return raw;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            redis.key("url"),
            "redis-sentinel://host:port[,host:port...]/db?master=NAME (" + e.getMessage() + ")",
            raw);
      }
    }
    return redis.url("url", DEFAULT_REDIS_URL, "redis", "rediss", "unix");
  }

  static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "oracle";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
