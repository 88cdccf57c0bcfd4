package oracle.ingestion;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import oracle.aggregation.IngestionCodecs;
import oracle.common.Addresses;
import oracle.deploy.Verticles;
import oracle.simulator.FakeExchangeServer;
import oracle.support.Poll;
import oracle.support.TcpProxy;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingestion path's Redis calls all have timeouts: a connection that dies silently in the middle
 * of a tick (here the one carrying the relay's PUBLISH goes dark, open but never answering) costs a
 * tick or two, never the loop. Leadership stays on a direct connection, so only ingestion sees the
 * fault.
 */
class IngestionRecoveryTest {
  private static final String BTC = "BTC/USDT";
  private static final List<String> SOURCES = List.of("binance", "okx", "bybit");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private TcpProxy proxy;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_INGESTION);
    fake = await(FakeExchangeServer.start(vertx));
    for (String e : SOURCES) fake.price(e, BTC, 100).liquidity(e, BTC, 1_000_000);
    URI redis = URI.create(TestEnv.redisUrl(TestEnv.REDIS_DB_INGESTION));
    proxy = new TcpProxy(vertx, redis.getHost(), redis.getPort());
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void aConnectionThatGoesSilentMidTickDoesNotStopIngestion() {
    int port = await(proxy.start());
    JsonObject sources = new JsonObject();
    for (String e : SOURCES) sources.put(e, fake.sourcesConfig().getJsonObject(e));
    JsonObject leader =
        TestEnv.baseConfig(TestEnv.REDIS_DB_INGESTION, null)
            .put("instanceId", "recovery")
            .put("postgres", new JsonObject().put("url", TestEnv.migratedPgUrl("oracle_ingestion")))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 300).put("retryMs", 100))
            .put("symbols", new JsonArray().add(BTC))
            .put("exchanges", new JsonArray(SOURCES))
            .put("ingestion", new JsonObject().put("intervalMs", 100).put("volumeRefreshMs", 0))
            .put("sources", sources);
    JsonObject ingestion =
        leader
            .copy()
            .put(
                "redis",
                new JsonObject()
                    .put("url", "redis://127.0.0.1:" + port + "/" + TestEnv.REDIS_DB_INGESTION));
    AtomicLong written = new AtomicLong();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.INGESTION_TICK,
            m -> {
              if (m.body().getInteger("updated", 0) > 0) written.incrementAndGet();
            });
    IngestionCodecs.register(vertx); // as the deployment root does
    await(
        vertx.deployVerticle(
            Verticles.of(leader)::leader, new DeploymentOptions().setConfig(leader)));
    await(
        vertx.deployVerticle(
            Verticles.of(ingestion)::aggregation, new DeploymentOptions().setConfig(ingestion)));
    await(
        vertx.deployVerticle(
            Verticles.of(ingestion)::polling, new DeploymentOptions().setConfig(ingestion)));
    Poll.until(() -> written.get() >= 3, Duration.ofSeconds(15));

    proxy.blackholeOn("PUBLISH");
    Poll.until(() -> written.get() >= 6, Duration.ofSeconds(5));
    long afterFault = written.get();
    // Ticks keep being written after the silent connection (the old code waited on it for ever).
    Poll.until(() -> written.get() >= afterFault + 10, Duration.ofSeconds(15));
    assertThat(written.get()).isGreaterThanOrEqualTo(afterFault + 10);
  }
}
