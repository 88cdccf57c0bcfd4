package oracle.simulator;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake exchanges' response cache, which the ingestion benchmark turns on: an answer never waits
 * for its own rendering, and a scripted change shows up once the next body is built.
 */
class CachedResponsesTest {
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
    await(vertx.close());
  }

  private double binancePrice() {
    JsonArray tickers =
        await(client.getAbs(fake.url("binance") + "/api/v3/ticker/24hr").send()).bodyAsJsonArray();
    return Double.parseDouble(tickers.getJsonObject(0).getString("lastPrice"));
  }

  @Test
  void aStaleBodyIsServedOnceWhileTheNextIsBuiltThenTheNewOne() {
    fake.price("binance", "BTC/USDT", 100);
    assertThat(binancePrice()).as("uncached by default").isEqualTo(100);
    fake.price("binance", "BTC/USDT", 101);
    assertThat(binancePrice()).isEqualTo(101);

    fake.cacheResponses(60_000);
    assertThat(binancePrice()).as("the first ask builds it").isEqualTo(101);
    fake.price("binance", "BTC/USDT", 102);
    assertThat(binancePrice()).as("served as it was while the next one is built").isEqualTo(101);
    Poll.until(() -> binancePrice() == 102, Duration.ofSeconds(5));
    assertThat(binancePrice()).as("unchanged since: the same body").isEqualTo(102);
  }
}
