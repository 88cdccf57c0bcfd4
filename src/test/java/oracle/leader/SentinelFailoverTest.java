package oracle.leader;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.common.Addresses;
import oracle.common.LuaScript;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.hotstore.CandleKeys;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis high availability through Sentinel, with real processes this test starts on its own ports:
 * a master, a replica and a sentinel. The leader and a candle writer connect with a {@code
 * redis-sentinel://} URL; the master is killed, the sentinel promotes the replica, and the oracle
 * follows it: leadership continues with strictly increasing tokens and candle updates land on the
 * new master.
 */
class SentinelFailoverTest {
  private static final int MASTER = 16_410;
  private static final int REPLICA = 16_411;
  private static final int SENTINEL = 16_412;

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private Process master;
  private Vertx vertx;

  @BeforeEach
  void startServers() throws Exception {
    master = redis("--port", Integer.toString(MASTER));
    redis(
        "--port", Integer.toString(REPLICA), "--replicaof", "127.0.0.1", Integer.toString(MASTER));
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + SENTINEL,
            "bind 127.0.0.1",
            "dir " + dir,
            "sentinel monitor oracle 127.0.0.1 " + MASTER + " 1",
            "sentinel down-after-milliseconds oracle 1000",
            "sentinel failover-timeout oracle 3000",
            ""));
    processes.add(
        new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sentinel.log").toFile())
            .start());
    for (int port : List.of(MASTER, REPLICA, SENTINEL))
      Poll.until(() -> listening(port), Duration.ofSeconds(10));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopServers() throws Exception {
    if (vertx != null) await(vertx.close());
    for (Process p : processes) p.destroyForcibly().waitFor();
  }

  @Test
  void theOracleFollowsAFailoverToThePromotedReplica() throws Exception {
    String url = "redis-sentinel://127.0.0.1:" + SENTINEL + "/0?master=oracle";
    Pool pg = PgFactory.pool(vertx, TestEnv.migratedPgUrl("oracle_sentinel"), 1);
    List<Long> tokens = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.LEADER_ELECTED, m -> tokens.add(m.body().getLong("fencingToken")));
    JsonObject config =
        new JsonObject()
            .put("instanceId", "sentinel-test")
            .put("redis", new JsonObject().put("url", url))
            .put("postgres", new JsonObject().put("url", TestEnv.migratedPgUrl("oracle_sentinel")))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 3_000).put("heartbeatMs", 500).put("retryMs", 100));
    await(
        vertx.deployVerticle(
            Verticles.of(config)::leader, new DeploymentOptions().setConfig(config)));
    Poll.until(() -> !tokens.isEmpty(), Duration.ofSeconds(10));

    Redis redis = RedisFactory.create(vertx, url);
    LuaScript update = LuaScript.load("update_candle");
    String key = CandleKeys.candle("BTC/USDT", RedisKeys.minuteOf(System.currentTimeMillis()));
    assertThat(tick(redis, update, key, 100)).isTrue();

    // The sentinel must know the replica (it learns it from the master's INFO) before the master
    // goes.
    Poll.until(this::sentinelKnowsAnInSyncReplica, Duration.ofSeconds(30));
    long killedAt = System.currentTimeMillis();
    master.destroyForcibly().waitFor();
    Poll.until(() -> Integer.valueOf(REPLICA).equals(masterPort()), Duration.ofSeconds(30));
    long promotedAt = System.currentTimeMillis();
    // The same client reaches the promoted replica; the leader keeps (or takes again) the lease
    // there.
    Poll.until(() -> tick(redis, update, key, 101), Duration.ofSeconds(20));
    Poll.until(() -> status().getBoolean("leader"), Duration.ofSeconds(20));
    long followedAt = System.currentTimeMillis();
    System.out.printf(
        "sentinel failover: replica promoted %.1f s after the master was killed, writes resumed %.1f s after; tokens %s%n",
        (promotedAt - killedAt) / 1000.0, (followedAt - promotedAt) / 1000.0, tokens);

    Response close = await(redis.send(Request.cmd(Command.HGET).arg(key).arg("close")));
    assertThat(close.toString()).isEqualTo("101.0");
    for (int i = 1; i < tokens.size(); i++)
      assertThat(tokens.get(i)).isGreaterThan(tokens.get(i - 1));
    long fence =
        await(pg.query("SELECT token FROM oracle_fencing WHERE name = 'writer'").execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(status().getLong("fencingToken")).isEqualTo(fence);
  }

  private boolean tick(Redis redis, LuaScript update, String key, double price) {
    try {
      long token = status().getLong("fencingToken", 0L);
      Response r =
          await(
              update.eval(
                  redis,
                  List.of(key, RedisKeys.LEADER_FENCING),
                  List.of(
                      Double.toString(price),
                      "1",
                      Long.toString(System.currentTimeMillis()),
                      Long.toString(token),
                      "",
                      "binance")));
      // the candle written: open, high, low, close, volume, updated_at, '', trades, origin
      return r != null && r.size() == 9;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private JsonObject status() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, null)).body();
  }

  private Integer masterPort() {
    Redis sentinel = Redis.createClient(vertx, "redis://127.0.0.1:" + SENTINEL);
    try {
      Response r =
          await(
              sentinel.send(
                  Request.cmd(Command.SENTINEL).arg("get-master-addr-by-name").arg("oracle")));
      return r == null ? null : Integer.parseInt(r.get(1).toString());
    } catch (RuntimeException e) {
      return null;
    } finally {
      sentinel.close();
    }
  }

  private boolean sentinelKnowsAnInSyncReplica() {
    Redis sentinel = Redis.createClient(vertx, "redis://127.0.0.1:" + SENTINEL);
    try {
      Response replicas =
          await(sentinel.send(Request.cmd(Command.SENTINEL).arg("replicas").arg("oracle")));
      for (Response r : replicas) {
        String text = r.toString();
        if (text.contains(Integer.toString(REPLICA))
            && text.contains("master-link-status")
            && !text.contains("disconnected")) return true;
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    } finally {
      sentinel.close();
    }
  }

  private Process redis(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("redis-server"));
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .start();
    processes.add(p);
    return p;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
