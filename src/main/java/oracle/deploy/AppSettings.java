package oracle.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oracle.backfill.BackfillSettings;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.common.StoreSettings;
import oracle.common.Symbols;
import oracle.config.ConfigException;
import oracle.config.ConfigLoader;
import oracle.config.ConfigReader;
import oracle.config.EnvironmentOverrides;
import oracle.discovery.DiscoverySettings;
import oracle.discovery.WholeMarket;
import oracle.exchange.registry.Exchanges;
import oracle.fanout.FanoutSettings;
import oracle.flush.FlushSettings;
import oracle.http.ConnectionLimits;
import oracle.http.HttpSettings;
import oracle.http.admin.AdminAuth;
import oracle.http.market.MarketSettings;
import oracle.http.ratelimit.RateLimitSettings;
import oracle.http.stream.BridgeSettings;
import oracle.http.stream.StreamSettings;
import oracle.leader.LeaderSettings;
import oracle.polling.IngestionSettings;
import oracle.storage.Schema;
import oracle.storage.StorageFlavor;

/**
 * The validated configuration of one oracle instance, every section typed. Built once from the
 * merged JSON (file + environment) before anything starts; a bad key stops the process with a
 * {@link ConfigException} naming it. {@link Verticles} hands each verticle its own part.
 *
 * @param simulated dev mode's market simulator feeds the prices (key {@code simulated}, set by dev
 *     mode)
 * @param json the merged configuration (with the instance id filled in): compared key by key when
 *     the file changes, to redeploy only the verticles a change concerns
 */
public record AppSettings(
    String instanceId,
    int httpPort,
    StoreSettings stores,
    LeaderSettings leader,
    List<String> symbols,
    List<String> exchanges,
    Optional<DiscoverySettings> discovery,
    IngestionSettings ingestion,
    FlushSettings flush,
    BackfillSettings backfill,
    Optional<StorageFlavor> storage,
    MarketSettings market,
    StreamSettings stream,
    Optional<String> adminToken,
    int rateLimit,
    RateLimitSettings rateLimits,
    ConnectionLimits connections,
    BridgeSettings bridge,
    boolean simulated,
    JsonObject json) {

  /** A loader of the file named by {@code ORACLE_CONFIG}, with the environment applied. */
  public static ConfigLoader<AppSettings> loader(
      Vertx vertx, Map<String, String> env, long scanPeriodMs) {
    return ConfigLoader.create(
        vertx, env, scanPeriodMs, json -> AppSettings.from(withEnvironment(json, env)));
  }

  /** The file's JSON with the operator's environment variables applied (they win). */
  public static JsonObject withEnvironment(JsonObject file, Map<String, String> env) {
    return EnvironmentOverrides.apply(file, env, Exchanges.NAMES);
  }

  public static AppSettings from(JsonObject json) {
    ConfigReader r = new ConfigReader(json);
    String instanceId = r.string("instanceId", null);
    if (instanceId == null || instanceId.isBlank()) instanceId = defaultInstanceId();
    int port = r.section("http").intValue("port", 8080, 0, 65535);
    httpHost(json); // validated here, read where the HTTP settings are made
    String redisUrl = redisUrl(r.section("redis"));
    ConfigReader pg = r.section("postgres");
    String pgUrl = pg.url("url", StoreSettings.DEFAULT_PG_URL, "postgresql", "postgres");
    // API reads may go to a read replica or a pooler; the
    // flush, backfill, migrations and fencing never do.
    String pgReadUrl = pg.url("readUrl", pgUrl, "postgresql", "postgres");
    int poolSize = pg.intValue("poolSize", 8, 1, 200);
    LeaderSettings leader = LeaderSettings.from(r.section("leader"));
    PgFactory.SessionLimits defaults = PgFactory.SessionLimits.DEFAULT;
    // A leader frozen inside a transaction must lose its
    // fence-row lock before the next one is elected.
    PgFactory.SessionLimits pgLimits =
        new PgFactory.SessionLimits(
            pg.longValue("statementTimeoutMs", defaults.statementTimeoutMs(), 0, 3_600_000),
            pg.longValue("lockTimeoutMs", defaults.lockTimeoutMs(), 0, 3_600_000),
            pg.longValue(
                "idleInTransactionTimeoutMs",
                Math.min(defaults.idleInTransactionTimeoutMs(), leader.ttlMs() / 2),
                1,
                leader.ttlMs() - 1));
    // "auto": whole-market mode; the deployment discovers
    // the list (oracle.discovery) before anything runs.
    Optional<DiscoverySettings> discovery =
        DiscoverySettings.auto(json)
            ? Optional.of(DiscoverySettings.from(r.section("discovery")))
            : Optional.empty();
    List<String> symbols =
        discovery.isPresent()
            ? List.of()
            : r.stringList("symbols", List.of("BTC/USDT", "ETH/USDT"));
    for (String s : symbols) {
      if (!Symbols.isCanonical(s))
        throw new ConfigException("symbols", "canonical symbols like BTC/USDT", s);
    }
    List<String> exchanges = r.stringList("exchanges", Exchanges.DEFAULT_ENABLED);
    for (String e : exchanges) {
      if (!Exchanges.NAMES.contains(e))
        throw new ConfigException("exchanges", "sources among " + Exchanges.NAMES, e);
    }
    // Every section is checked here, before anything starts, so a bad value names its key at once.
    IngestionSettings ingestion = IngestionSettings.from(r, symbols, exchanges);
    FlushSettings flush = FlushSettings.from(r.section("flush"));
    BackfillSettings backfill = BackfillSettings.from(r.section("backfill"));
    Optional<StorageFlavor> storage = Schema.flavorSetting(r.section("storage"));
    MarketSettings market = MarketSettings.from(r.section("http"));
    StreamSettings stream = StreamSettings.from(r.section("http"));
    ConnectionLimits connections = ConnectionLimits.from(r.section("http"));
    BridgeSettings bridge = BridgeSettings.from(r.section("http"));
    String token = r.section("admin").string("token", null);
    if (token != null && !token.isBlank() && token.length() < AdminAuth.MIN_TOKEN_LENGTH)
      throw new ConfigException(
          "admin.token",
          "at least " + AdminAuth.MIN_TOKEN_LENGTH + " characters (or none: admin routes off)",
          token.length() + " characters"); // the token itself is never printed
    int rateLimit = r.section("rateLimit").intValue("requests", 100, 1, 10_000_000);
    RateLimitSettings rateLimits = RateLimitSettings.from(r.section("rateLimit"), rateLimit);
    Object simulatedValue = json.getValue("simulated");
    if (simulatedValue != null && !(simulatedValue instanceof Boolean))
      throw new ConfigException("simulated", "true or false", simulatedValue);
    boolean simulated = Boolean.TRUE.equals(simulatedValue);
    FanoutSettings.from(r); // validated now, read again by fanout()
    return new AppSettings(
        instanceId,
        port,
        new StoreSettings(redisUrl, pgUrl, pgReadUrl, poolSize, pgLimits),
        leader,
        symbols,
        exchanges,
        discovery,
        ingestion,
        flush,
        backfill,
        storage,
        market,
        stream,
        Optional.ofNullable(token).filter(t -> !t.isBlank()),
        rateLimit,
        rateLimits,
        connections,
        bridge,
        simulated,
        json.copy().put("instanceId", instanceId));
  }

  /** The {@code cluster} and {@code tcpBridge} sections (live candles to other processes). */
  public FanoutSettings fanout() {
    return FanoutSettings.from(new ConfigReader(json));
  }

  /** {@code http.host}: the address the HTTP server binds ({@code 0.0.0.0}: every interface). */
  public String httpHost() {
    return httpHost(json);
  }

  private static String httpHost(JsonObject json) {
    String host = new ConfigReader(json).section("http").string("host", HttpSettings.ANY_HOST);
    if (host.isBlank()) throw new ConfigException("http.host", "an address or host name", host);
    return host;
  }

  /** What the HTTP verticle serves with. */
  public HttpSettings http() {
    return new HttpSettings(
        instanceId,
        httpHost(),
        httpPort,
        stores,
        symbols,
        WholeMarket.servedSymbols(symbols, json),
        exchanges,
        ingestion.stalenessMs(),
        simulated,
        adminToken,
        market,
        stream,
        rateLimits,
        connections,
        bridge);
  }

  /**
   * {@code redis://…} (standalone) or {@code
   * redis-sentinel://host:port[,host:port…]/db?master=NAME}.
   */
  private static String redisUrl(ConfigReader redis) {
    String raw = redis.string("url", StoreSettings.DEFAULT_REDIS_URL);
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
    return redis.url("url", StoreSettings.DEFAULT_REDIS_URL, "redis", "rediss", "unix");
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
