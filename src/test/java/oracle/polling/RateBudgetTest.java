package oracle.polling;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import oracle.common.OracleMetrics;
import oracle.config.ConfigReader;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.simulator.FakeExchangeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coinbase's default token bucket against the fake's Coinbase limit (10 requests/s, bursts of 15,
 * beyond: 429): the real adapter and poller, polling 30 symbols (one request each) as fast as the
 * bucket lets it.
 */
class RateBudgetTest {
  private Vertx vertx;
  private FakeExchangeServer fake;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    await(fake.close());
    await(vertx.close());
  }

  /** Polls every 100 ms for {@code ms} on one context; returns the 429s the fake answered. */
  private long hammer(JsonObject coinbase, List<String> symbols, long ms) throws Exception {
    JsonObject root = new JsonObject().put("sources", new JsonObject().put("coinbase", coinbase));
    IngestionSettings settings =
        IngestionSettings.from(new ConfigReader(root), symbols, List.of("coinbase"));
    SourceSettings source = settings.sources().get(0);
    long before = fake.rateLimited("coinbase");
    Promise<Void> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              ExchangePoller p =
                  new ExchangePoller(
                      vertx,
                      ExchangeAdapters.create(client, source, symbols),
                      source,
                      settings,
                      OracleMetrics.of(new SimpleMeterRegistry()));
              long end = System.currentTimeMillis() + ms;
              vertx.setPeriodic(
                  100,
                  id -> {
                    if (System.currentTimeMillis() > end) {
                      vertx.cancelTimer(id);
                      vertx.setTimer(500, x -> done.complete()); // the last answers
                      return;
                    }
                    p.poll(System.currentTimeMillis());
                  });
            });
    await(done.future());
    long refused = fake.rateLimited("coinbase") - before;
    System.out.printf(
        "coinbase burst %d at %.0f/s for %d ms: %d refused with 429%n",
        source.burst(), source.requestsPerSecond(), ms, refused);
    return refused;
  }

  @Test
  void coinbasesDefaultBucketNeverDrawsA429() throws Exception {
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String s = "C" + i + "/USD";
      symbols.add(s);
      fake.price("coinbase", s, 100 + i);
    }
    JsonObject defaults = new JsonObject().put("url", fake.url("coinbase")).put("stream", false);
    SourceSettings source =
        IngestionSettings.from(
                new ConfigReader(
                    new JsonObject().put("sources", new JsonObject().put("coinbase", defaults))),
                symbols,
                List.of("coinbase"))
            .sources()
            .get(0);
    assertThat(source.requestsPerSecond()).isEqualTo(8);
    assertThat(source.burst()).as("within Coinbase's burst of 15").isEqualTo(10);
    assertThat(hammer(defaults.copy(), symbols, 3_000)).isZero();

    // the old default, twice the rate (16), spends one above Coinbase's 15 in its first tick
    Thread.sleep(1_600); // the fake's bucket full again
    JsonObject old =
        defaults
            .copy()
            .put("rateLimit", new JsonObject().put("requestsPerSecond", 8).put("burst", 16));
    assertThat(hammer(old, symbols, 1_000)).isPositive();
  }
}
