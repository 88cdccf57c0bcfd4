package oracle.hotstore;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * update_candle.lua through its typed encoder and reply decoder, against real Redis (DB 12, the
 * candle scripts' DB; its own symbol).
 */
class CandleUpdatesTest {
  private static final String SYMBOL = "HOTSTORE/USDT";
  private static final long NOW = System.currentTimeMillis();
  private static final long MINUTE = RedisKeys.minuteOf(NOW);
  private static final String KEY = CandleKeys.candle(SYMBOL, MINUTE);

  /** An hour back: a run of this test an hour earlier left its current minute's key there. */
  private static final long OLD = MINUTE - 3_600;

  private static Vertx vertx;
  private static Redis redis;
  private final CandleUpdates updates = new CandleUpdates(10_000);

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(12));
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    await(
        redis.send(
            Request.cmd(Command.DEL)
                .arg(KEY)
                .arg(CandleKeys.candle(SYMBOL, OLD))
                .arg(RedisKeys.LEADER_FENCING)
                .arg(RedisKeys.price(SYMBOL))));
  }

  private CandleUpdates.Reply send(Request request, long minute) {
    List<Response> replies = await(updates.send(redis, List.of(request)));
    return CandleUpdates.Reply.of(SYMBOL, minute, replies.get(0));
  }

  private String field(String name) {
    Response r = await(redis.send(Request.cmd(Command.HGET).arg(KEY).arg(name)));
    return r == null ? null : r.toString();
  }

  @Test
  void anAgreedUpdateWritesPriceVolumesAndSourcesAndAnswersTheCandle() {
    CandleUpdates.Reply first =
        send(
            updates
                .agreed(SYMBOL, MINUTE, Long.toString(NOW), 1, 100.5, 7, "{\"price\":100.5}")
                .source("binance", 3)
                .source("okx", Double.NaN)
                .source("kraken", -1)
                .request(),
            MINUTE);
    assertThat(first.fenced()).isFalse();
    assertThat(first.late()).isFalse();
    assertThat(first.candle())
        .isEqualTo(new Candle(SYMBOL, MINUTE, 100.5, 100.5, 100.5, 100.5, 3, NOW, 0));
    assertThat(field("sources")).isEqualTo("binance,okx,kraken");
    assertThat(field("vol:binance")).as("the price JSON's number text").isEqualTo("3.0");
    assertThat(field("vol:okx")).as("NaN volume not sent").isNull();
    assertThat(field("vol:kraken")).as("negative volume not sent").isNull();
    Response price = await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.price(SYMBOL))));
    assertThat(price.toString()).isEqualTo("{\"price\":100.5}");

    CandleUpdates.Reply second =
        send(
            updates
                .agreed(SYMBOL, MINUTE, Long.toString(NOW + 1), 1, 99, Double.NaN, "{}")
                .source("binance", 4)
                .request(),
            MINUTE);
    assertThat(second.candle().low()).isEqualTo(99);
    assertThat(second.candle().open()).isEqualTo(100.5);
    assertThat(second.candle().volume()).isEqualTo(4);
  }

  @Test
  void aNewerFencingTokenRefusesTheUpdate() {
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg("5")));
    CandleUpdates.Reply reply =
        send(updates.agreed(SYMBOL, MINUTE, Long.toString(NOW), 4, 1, 1, "{}").request(), MINUTE);
    assertThat(reply.fenced()).isTrue();
    assertThat(reply.late()).isFalse();
    assertThat(reply.candle()).isNull();
    assertThat(reply.keptPrice()).isEmpty();
    assertThat(field("open")).isNull();
  }

  @Test
  void aMinuteClosedLongerThanTheGraceAgoIsLate() {
    long old = OLD;
    String oldKey = CandleKeys.candle(SYMBOL, old);
    CandleUpdates.Reply reply =
        send(updates.agreed(SYMBOL, old, Long.toString(NOW), 0, 1, 1, "{}").request(), old);
    assertThat(reply.late()).isTrue();
    assertThat(reply.fenced()).isFalse();
    assertThat(reply.candle()).isNull();
    assertThat(reply.keptPrice()).isEmpty();
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(oldKey))).toInteger()).isZero();
  }

  @Test
  void aWithheldUpdateKeepsTheCandleAndFlagsTheKeptPrice() {
    CandleUpdates.Reply none =
        send(updates.withhold(SYMBOL, MINUTE, Long.toString(NOW), 0, "\"stale\":true"), MINUTE);
    assertThat(none.candle()).as("no candle yet this minute").isNull();
    assertThat(none.fenced()).isFalse();
    assertThat(none.late()).isFalse();

    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW), 0, 10, 2, "{\"price\":10}")
            .source("binance", 2)
            .request(),
        MINUTE);
    CandleUpdates.Reply kept =
        send(updates.withhold(SYMBOL, MINUTE, Long.toString(NOW + 5), 0, "\"stale\":true"), MINUTE);
    assertThat(kept.candle().close()).isEqualTo(10);
    assertThat(kept.keptPrice()).contains("\"price\":10").contains("\"stale\":true");
  }
}
