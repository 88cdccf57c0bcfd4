package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.List;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.hotstore.CandleKeys;
import oracle.http.ApiTestEnv;
import oracle.http.HttpVerticle;
import oracle.storage.CandleRepository;
import oracle.storage.CandleRow;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;
import org.junit.jupiter.api.Test;

/**
 * {@code postgres.readUrl} ({@code ORACLE_PG_READ_URL}): the API reads from it, here a second
 * database standing in for a lagging replica; minutes it lacks but Redis holds are still served.
 */
class ReadReplicaTest {
  @Test
  void readsGoToTheReadUrlAndALaggingReplicaCannotHideHotMinutes() {
    Vertx vertx = ApiTestEnv.vertx();
    try {
      Pool primary = ApiTestEnv.pg(vertx);
      ApiTestEnv.createSchema(primary);
      ApiTestEnv.clear(vertx, primary);
      String readUrl = TestEnv.migratedPgUrl("oracle_api_replica");
      Pool replica = PgFactory.pool(vertx, readUrl, 2);
      await(
          replica
              .query("TRUNCATE ohlcv_1m, ohlcv_5m, ohlcv_15m, ohlcv_1h, ohlcv_4h, ohlcv_1d")
              .execute());
      long now = System.currentTimeMillis();
      long current = RedisKeys.minuteOf(now);
      long stored = current - 10 * 60;
      long lagging = current - 2 * 60;
      // Only the replica has the stored minute (so an answer with it was read there),
      // and it lags: the
      // minute two minutes ago is only in Redis (not flushed yet, or not replicated yet).
      await(
          new CandleRepository(replica, StorageFlavor.PLAIN)
              .upsert(
                  List.of(
                      new CandleRow(
                          "SOL/USDT", stored, 10, 12, 9, 11, 5, null, List.of("binance"))),
                  1));
      await(
          ApiTestEnv.redis(vertx)
              .send(
                  Request.cmd(Command.HSET)
                      .arg(CandleKeys.candle("SOL/USDT", lagging))
                      .arg("open")
                      .arg("20")
                      .arg("high")
                      .arg("22")
                      .arg("low")
                      .arg("19")
                      .arg("close")
                      .arg("21")
                      .arg("volume")
                      .arg("3")
                      .arg("updated_at")
                      .arg(Long.toString(now))));

      JsonObject config =
          ApiTestEnv.config()
              .put(
                  "http",
                  new JsonObject()
                      .put("port", 0)
                      .put("cache", new JsonObject().put("megabytes", 0)));
      config.getJsonObject("postgres").put("readUrl", readUrl);
      HttpVerticle http = ApiTestEnv.deploy(vertx, config);
      JsonObject body =
          await(
                  WebClient.create(vertx)
                      .get(
                          http.actualPort(),
                          "127.0.0.1",
                          "/api/v1/market/ohlcv?symbol=SOL/USDT&resolution=1m&from="
                              + stored
                              + "&to="
                              + lagging)
                      .send())
              .bodyAsJsonObject();
      JsonArray candles = body.getJsonArray("candles");
      assertThat(candles.stream().map(c -> ((JsonObject) c).getLong("time")))
          .containsExactly(stored, lagging);
      assertThat(candles.getJsonObject(0).getDouble("close"))
          .as("read from the replica")
          .isEqualTo(11.0);
      assertThat(candles.getJsonObject(1).getDouble("close"))
          .as("merged from Redis")
          .isEqualTo(21.0);
    } finally {
      await(vertx.close());
    }
  }
}
