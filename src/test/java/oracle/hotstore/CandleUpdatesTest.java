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

  private long ttl() {
    return await(redis.send(Request.cmd(Command.TTL).arg(KEY))).toLong();
  }

  private boolean dirty(String key) {
    return await(redis.send(Request.cmd(Command.SISMEMBER).arg(CandleKeys.DIRTY).arg(key)))
            .toInteger()
        == 1;
  }

  @Test
  void tradeCountsArePerSourceNeverLoweredAndSummed() {
    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW), 1, 10, Double.NaN, "{}")
            .source("binance", 1, 5)
            .source("okx", 2, 3)
            .source("kraken", 1, -1)
            .request(),
        MINUTE);
    assertThat(field("trades:binance")).isEqualTo("5");
    assertThat(field("trades:okx")).isEqualTo("3");
    assertThat(field("trades:kraken")).as("negative = unknown, not sent").isNull();
    assertThat(field("trades")).isEqualTo("8");

    // binance reports fewer (a restarted count): kept at 5; okx moves up; okx absent next tick
    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW + 1), 1, 11, Double.NaN, "{}")
            .source("binance", 1, 2)
            .source("okx", 2, 7)
            .request(),
        MINUTE);
    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW + 2), 1, 11, Double.NaN, "{}")
            .source("binance", 1, 6)
            .request(),
        MINUTE);
    assertThat(field("trades:binance")).isEqualTo("6");
    assertThat(field("trades:okx")).isEqualTo("7");
    assertThat(field("trades")).as("a source that dropped out still counts").isEqualTo("13");

    // the two-argument source() sends no count and leaves the sum alone
    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW + 3), 1, 12, Double.NaN, "{}")
            .source("binance", 1)
            .request(),
        MINUTE);
    assertThat(field("trades")).isEqualTo("13");
  }

  @Test
  void aFinalMinuteOverwritesTheCandleMarksItForTheFlushAndLaterTicksLeaveIt() {
    send(
        updates
            .agreed(SYMBOL, MINUTE, Long.toString(NOW), 1, 10, Double.NaN, "{\"price\":10}")
            .source("binance", 1, 5)
            .source("okx", 2, 3)
            .request(),
        MINUTE);
    // the flush marked it (flushed_at, backup TTL, out of the dirty set)
    await(
        redis.send(
            Request.cmd(Command.HSET).arg(KEY).arg("flushed_at").arg(Long.toString(NOW + 10))));
    await(redis.send(Request.cmd(Command.EXPIRE).arg(KEY).arg(3600)));
    await(redis.send(Request.cmd(Command.SREM).arg(CandleKeys.DIRTY).arg(KEY)));
    String before = field("updated_at");

    Response raw =
        await(
                updates.send(
                    redis,
                    List.of(
                        updates.finalMinute(
                            SYMBOL,
                            MINUTE,
                            1,
                            9.5,
                            12.25,
                            9,
                            11,
                            4.5,
                            42,
                            Origin.REPAIRED,
                            List.of("binance", "okx", "coinbase")))))
            .get(0);
    assertThat(CandleUpdates.FinalReply.of(raw)).isEqualTo(CandleUpdates.FinalReply.WRITTEN);
    assertThat(field("open")).isEqualTo("9.5");
    assertThat(field("high")).isEqualTo("12.25");
    assertThat(field("low")).isEqualTo("9.0");
    assertThat(field("close")).isEqualTo("11.0");
    assertThat(field("volume")).isEqualTo("4.5");
    assertThat(field("trades")).isEqualTo("42");
    assertThat(field("origin")).isEqualTo("repaired");
    assertThat(field("sources")).isEqualTo("binance,okx,coinbase");
    assertThat(field("final")).isEqualTo("1");
    assertThat(field("flushed_at")).as("un-flushed").isNull();
    assertThat(ttl()).as("backup TTL dropped").isEqualTo(-1);
    assertThat(dirty(KEY)).isTrue();
    assertThat(Long.parseLong(field("updated_at")))
        .as("moves forward, so a flush that read the old version cannot mark this one")
        .isGreaterThan(Long.parseLong(before));
    Response price = await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.price(SYMBOL))));
    assertThat(price.toString()).as("the latest price is not touched").isEqualTo("{\"price\":10}");

    // a late ordinary tick: the candle stays as closed out, the latest price still moves
    CandleUpdates.Reply late =
        send(
            updates
                .agreed(SYMBOL, MINUTE, Long.toString(NOW + 20), 1, 50, 99, "{\"price\":50}")
                .source("binance", 99, 99)
                .request(),
            MINUTE);
    assertThat(late.candle().high()).isEqualTo(12.25);
    assertThat(late.candle().close()).isEqualTo(11);
    assertThat(late.candle().volume()).isEqualTo(4.5);
    assertThat(field("trades")).isEqualTo("42");
    assertThat(field("trades:binance")).isEqualTo("5");
    assertThat(await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.price(SYMBOL)))).toString())
        .isEqualTo("{\"price\":50}");

    // a second close-out without a trade count and without sources removes both
    await(
        updates.send(
            redis,
            List.of(
                updates.finalMinute(
                    SYMBOL, MINUTE, 1, 9.5, 12.25, 9, 11, 4.5, -1, Origin.LIVE, List.of()))));
    assertThat(field("trades")).isNull();
    assertThat(field("sources")).isNull();
    assertThat(field("origin")).isEqualTo("live");
  }

  @Test
  void aFinalMinuteIsFencedButNotRefusedByTheGrace() {
    String oldKey = CandleKeys.candle(SYMBOL, OLD);
    Request closeOut =
        updates.finalMinute(
            SYMBOL, OLD, 4, 1, 2, 0.5, 1.5, 3, 7, Origin.BACKFILL, List.of("binance"));
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg("5")));
    Response fenced = await(updates.send(redis, List.of(closeOut))).get(0);
    assertThat(CandleUpdates.FinalReply.of(fenced).fenced()).isTrue();
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(oldKey))).toInteger()).isZero();

    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg("4")));
    Response written = await(updates.send(redis, List.of(closeOut))).get(0);
    assertThat(CandleUpdates.FinalReply.of(written).written()).isTrue();
    Response h = await(redis.send(Request.cmd(Command.HGET).arg(oldKey).arg("origin")));
    assertThat(h.toString()).isEqualTo("backfill");
    assertThat(dirty(oldKey)).isTrue();
    await(redis.send(Request.cmd(Command.SREM).arg(CandleKeys.DIRTY).arg(oldKey)));
  }

  @Test
  void aFinalMinuteRefusesAnUnknownOriginAndNonFiniteNumbers() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> updates.finalMinute(SYMBOL, MINUTE, 1, 1, 1, 1, 1, 1, 1, "guessed", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("origin");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                updates.finalMinute(
                    SYMBOL, MINUTE, 1, 1, Double.NaN, 1, 1, 1, 1, Origin.LIVE, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
