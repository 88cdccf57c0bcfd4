package oracle.exchange.uniswap;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.config.ConfigReader;
import oracle.exchange.DropReason;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Quote;
import oracle.exchange.UniswapPool;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.simulator.FakeExchangeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 item 5: one pool whose {@code token0()}/{@code token1()} revert no longer fails the
 * whole Uniswap batch. A JSON-RPC node in front of the fake answers those two calls of one pool
 * with "execution reverted" and forwards everything else to the fake.
 */
class UniswapUnreadablePoolTest {
  private static final String GOOD = "0x4e68ccd3e89f51c3074ca5072bbac773960dfa36";
  private static final String BROKEN = "0x00000000000000000000000000000000000000b0";
  private static Vertx vertx;
  private static FakeExchangeServer fake;
  private static WebClient client;
  private static HttpServer node;
  private static final AtomicInteger brokenCalls = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    client = WebClient.create(vertx);
    fake.uniswapPool("ETH/USDT", new UniswapPool(GOOD, 18, 6, true, "USDT"), 2_999.5);
    node =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .compose(body -> answer(body.toJsonArray()))
                            .onSuccess(out -> req.response().end(out.toBuffer()))
                            .onFailure(err -> req.response().setStatusCode(502).end()))
                .listen(0, "127.0.0.1"));
  }

  /** The reverting pool's calls answered here; the rest forwarded to the fake in one batch. */
  private static io.vertx.core.Future<JsonArray> answer(JsonArray batch) {
    JsonArray forwarded = new JsonArray();
    JsonArray out = new JsonArray();
    for (Object o : batch) {
      JsonObject call = (JsonObject) o;
      JsonArray params = call.getJsonArray("params");
      Object first = params == null || params.isEmpty() ? null : params.getValue(0);
      if (first instanceof JsonObject to && BROKEN.equals(to.getString("to"))) {
        brokenCalls.incrementAndGet();
        out.add(
            new JsonObject()
                .put("jsonrpc", "2.0")
                .put("id", call.getValue("id"))
                .put(
                    "error", new JsonObject().put("code", 3).put("message", "execution reverted")));
      } else {
        forwarded.add(call);
      }
    }
    if (forwarded.isEmpty()) return io.vertx.core.Future.succeededFuture(out);
    return client
        .postAbs(fake.url("uniswap"))
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(forwarded.encode()))
        .map(
            r -> {
              r.bodyAsJsonArray().forEach(out::add);
              return out;
            });
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void theUnreadablePoolIsDroppedAloneWithItsReasonAndNotAskedAgainAtOnce() {
    JsonObject sources = fake.sourcesConfig();
    JsonObject uniswap = sources.getJsonObject("uniswap");
    uniswap.put("url", "http://127.0.0.1:" + node.actualPort()).put("timeoutMs", 2_000);
    uniswap
        .getJsonObject("pools")
        .put(
            "BTC/USDT",
            new JsonObject()
                .put("address", BROKEN)
                .put("token0Decimals", 8)
                .put("token1Decimals", 6)
                .put("base", "token0")
                .put("quote", "USDT"));
    ExchangeAdapter adapter =
        ExchangeAdapters.create(
            client,
            Exchanges.settings("uniswap", new ConfigReader(sources).section("uniswap")),
            List.of("BTC/USDT", "ETH/USDT"));

    List<Quote> quotes = await(adapter.fetchQuotes(List.of("BTC/USDT", "ETH/USDT")));
    assertThat(quotes).hasSize(2);
    Quote eth = quotes.stream().filter(q -> q.symbol().equals("ETH/USDT")).findFirst().get();
    assertThat(eth.rejected()).isNull();
    assertThat(eth.price()).isCloseTo(2_999.5, within(2_999.5 * 1e-5));
    Quote btc = quotes.stream().filter(q -> q.symbol().equals("BTC/USDT")).findFirst().get();
    assertThat(btc.rejected()).isEqualTo(DropReason.UNREADABLE);
    assertThat(btc.price()).isNaN();
    int asked = brokenCalls.get();
    assertThat(asked).as("token0() and token1()").isEqualTo(2);

    // the next tick reads the good pool again and does not ask the broken one's tokens yet
    List<Quote> next = await(adapter.fetchQuotes(List.of("BTC/USDT", "ETH/USDT")));
    assertThat(next)
        .extracting(q -> q.symbol() + ":" + q.rejected())
        .containsExactlyInAnyOrder("ETH/USDT:null", "BTC/USDT:UNREADABLE");
    assertThat(brokenCalls.get()).isEqualTo(asked);

    // only the broken pool asked: no batch for nothing
    assertThat(await(adapter.fetchQuotes(List.of("BTC/USDT"))))
        .extracting(Quote::rejected)
        .containsExactly(DropReason.UNREADABLE);
  }
}
