package oracle.http;

import static oracle.support.TestEnv.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.deploy.Verticles;
import oracle.deploy.VertxFactory;
import oracle.hotstore.CandleKeys;
import oracle.http.market.Bar;
import oracle.storage.Migrator;
import oracle.storage.Resolution;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;

/**
 * Shared set-up of the API tests: Redis DB 4, PostgreSQL database oracle_api, the candle tables.
 */
public final class ApiTestEnv {
  public static final String PG_DATABASE = "oracle_api";
  public static final List<String> SYMBOLS = List.of("BTC/USDT", "ETH/USDT", "SOL/USDT");

  private ApiTestEnv() {}

  /** A Vertx with the Prometheus backend, as {@code Main} builds it. */
  public static Vertx vertx() {
    return VertxFactory.withPrometheusMetrics();
  }

  /** The API's configuration for tests; the rate limit is high unless a test sets it. */
  public static JsonObject config() {
    return TestEnv.baseConfig(TestEnv.REDIS_DB_API, PG_DATABASE)
        .put("symbols", new JsonArray(SYMBOLS))
        .put("exchanges", new JsonArray().add("binance").add("kraken"))
        .put("rateLimit", new JsonObject().put("requests", 1_000_000));
  }

  /** The metrics every verticle of the test's Vert.x updates (its Prometheus registry). */
  public static OracleMetrics metrics() {
    return OracleMetrics.create();
  }

  public static HttpVerticle deploy(Vertx vertx, JsonObject config) {
    HttpVerticle verticle = Verticles.of(config).http();
    await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
    return verticle;
  }

  public static Pool pg(Vertx vertx) {
    return PgFactory.pool(vertx, TestEnv.pgUrl(PG_DATABASE), 4);
  }

  public static Redis redis(Vertx vertx) {
    return Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_API));
  }

  /** The real schema (the plain PostgreSQL path's migrations), created once per test run. */
  public static synchronized void createSchema(Pool pg) {
    if (schemaReady) return;
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    await(new Migrator(pg, Optional.of(StorageFlavor.PLAIN)).migrate());
    schemaReady = true;
  }

  private static boolean schemaReady;

  public static void clear(Vertx vertx, Pool pg) {
    for (Resolution r : Resolution.values()) await(pg.query("TRUNCATE " + r.table()).execute());
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_API);
  }

  public static void insert(Pool pg, Resolution r, String symbol, List<Bar> bars) {
    if (bars.isEmpty()) return;
    if (r == Resolution.M1) { // weekly partitions of the plain path, as the flush creates them
      long from = bars.stream().mapToLong(Bar::time).min().getAsLong();
      long to = bars.stream().mapToLong(Bar::time).max().getAsLong();
      await(
          pg.preparedQuery(
                  "SELECT oracle_ensure_ohlcv_partitions(to_timestamp($1), to_timestamp($2))")
              .execute(Tuple.of(from, to)));
    }
    List<Tuple> rows = new ArrayList<>();
    for (Bar b : bars)
      rows.add(Tuple.of(ts(b.time()), symbol, b.open(), b.high(), b.low(), b.close(), b.volume()));
    await(
        pg.preparedQuery(
                "INSERT INTO "
                    + r.table()
                    + " (time, symbol, open, high, low, close, volume) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                    + " ON CONFLICT (symbol, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,"
                    + " close = EXCLUDED.close, volume = EXCLUDED.volume")
            .executeBatch(rows));
  }

  /**
   * Writes a minute candle the way the ingestion does ({@code oracle:candle:{symbol}:{minute}}).
   */
  public static void putHot(Redis redis, String symbol, Bar b) {
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(CandleKeys.candle(symbol, b.time()))
                .arg("open")
                .arg(Double.toString(b.open()))
                .arg("high")
                .arg(Double.toString(b.high()))
                .arg("low")
                .arg(Double.toString(b.low()))
                .arg("close")
                .arg(Double.toString(b.close()))
                .arg("volume")
                .arg(Double.toString(b.volume()))
                .arg("updated_at")
                .arg(Long.toString(System.currentTimeMillis()))));
  }

  public static OffsetDateTime ts(long epochSeconds) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }

  /** A distinct, recognisable candle for minute {@code t}: prices derived from t and a seed. */
  public static Bar minute(long t, double seed) {
    double base = seed + (t / 60 % 1000);
    return new Bar(t, base, base + 2, base - 1, base + 1, 1.5);
  }
}
