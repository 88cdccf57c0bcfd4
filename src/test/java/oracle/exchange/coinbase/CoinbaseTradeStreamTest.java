package oracle.exchange.coinbase;

import static oracle.exchange.stream.Recordings.parse;
import static oracle.exchange.stream.Recordings.trades;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.junit.jupiter.api.Test;

class CoinbaseTradeStreamTest {
  private static final String RECORDING = "matches_subscriptions_cryptofeed_2021-04-17.jsonl";
  private final CoinbaseTradeStream stream = new CoinbaseTradeStream();

  @Test
  void recordedSessionParsesIntoItsTradesWithTheTakersSide() {
    List<StreamEvent> events = parse(stream, RECORDING);
    assertThat(events).hasSize(6);
    // last_match: replays of the trade before subscribing; side is the maker's, so inverted.
    assertThat(trades(events.get(0)))
        .containsExactly(
            Trade.sequenced(
                "coinbase", "BAND-GBP", 14.7775, 0.04, 1618677810244L, 881613, Side.BUY, true));
    assertThat(trades(events.get(1)))
        .containsExactly(
            Trade.sequenced(
                "coinbase", "SKL-GBP", 0.5752, 1008.2, 1618677809571L, 82007, Side.SELL, true));
    assertThat(events.get(2)).isInstanceOf(StreamEvent.Subscribed.class);
    assertThat(((StreamEvent.Subscribed) events.get(2)).what())
        .startsWith("ticker [\"SKL-USD\"")
        .contains("; matches [\"SKL-BTC\"", "; level2 [");
    assertThat(trades(events.get(3)))
        .containsExactly(
            Trade.sequenced(
                "coinbase", "SKL-BTC", 0.00001305, 985, 1618677817089L, 280232, Side.BUY, false));
    assertThat(trades(events.get(4)))
        .containsExactly(
            Trade.sequenced(
                "coinbase", "SKL-USD", 0.791, 450, 1618677817121L, 1568268, Side.BUY, false));
    assertThat(trades(events.get(5)))
        .containsExactly(
            Trade.sequenced(
                "coinbase", "SKL-USD", 0.7912, 1787, 1618677817140L, 1568269, Side.BUY, false));
  }

  @Test
  void replaysAreNotCountedAndContiguousTradeIdsShowNoGap() {
    GapDetector gaps = new GapDetector();
    List<GapDetector.Verdict> verdicts = new ArrayList<>();
    for (StreamEvent e : parse(stream, RECORDING))
      if (e instanceof StreamEvent.Trades t) t.trades().forEach(tr -> verdicts.add(gaps.check(tr)));
    assertThat(verdicts)
        .containsExactly(
            GapDetector.Verdict.SKIP,
            GapDetector.Verdict.SKIP,
            GapDetector.Verdict.COUNT,
            GapDetector.Verdict.COUNT,
            GapDetector.Verdict.COUNT);
  }

  @Test
  void heartbeatAndErrorInTheDocumentedForm() {
    assertThat(
            stream.parse(
                "{\"type\":\"heartbeat\",\"sequence\":90,\"last_trade_id\":20,\"product_id\":\"BTC-USD\",\"time\":\"2014-11-07T08:19:28.464459Z\"}"))
        .isEqualTo(new StreamEvent.Heartbeat("BTC-USD"));
    assertThat(
            stream.parse(
                "{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"FOO-BAR is not a valid product\"}"))
        .isEqualTo(
            new StreamEvent.SubscribeError("Failed to subscribe: FOO-BAR is not a valid product"));
    assertThat(stream.parse("{\"type\":\"error\",\"message\":\"x\"}"))
        .isEqualTo(new StreamEvent.SubscribeError("x"));
    assertThat(stream.parse("{\"type\":\"error\",\"reason\":\"y\"}"))
        .isEqualTo(new StreamEvent.SubscribeError("y"));
    assertThat(stream.parse("{\"type\":\"error\"}"))
        .isEqualTo(new StreamEvent.SubscribeError("{\"type\":\"error\"}"));
    assertThat(stream.parse("{\"type\":\"ticker\"}")).isEqualTo(new StreamEvent.Ignored("ticker"));
    assertThat(stream.parse("[]")).isEqualTo(new StreamEvent.Ignored("not an object"));
  }

  @Test
  void malformedMatchesNameTheField() {
    assertThat(
            stream.parse(
                "{\"type\":\"match\",\"trade_id\":1,\"side\":\"sell\",\"size\":\"1\",\"price\":\"1\",\"product_id\":\"A-B\",\"time\":\"yesterday\"}"))
        .isEqualTo(
            new StreamEvent.Malformed("coinbase: field 'time' is not an RFC 3339 time: yesterday"));
    assertThat(
            stream.parse(
                "{\"type\":\"match\",\"trade_id\":1,\"side\":\"up\",\"size\":\"1\",\"price\":\"1\",\"product_id\":\"A-B\",\"time\":\"2021-04-17T16:43:37Z\"}"))
        .isEqualTo(new StreamEvent.Malformed("coinbase: field 'side' is not buy or sell: up"));
    assertThat(stream.parse("{}"))
        .isEqualTo(new StreamEvent.Malformed("coinbase: field 'type' missing"));
  }

  @Test
  void subscribeMatchesInChunksAndOneHeartbeatPerConnection() {
    List<String> products = IntStream.range(0, 1200).mapToObj(i -> "P" + i + "-USD").toList();
    List<List<String>> connections = stream.connections(products);
    assertThat(connections).extracting(List::size).containsExactly(500, 500, 200);
    List<String> subscribed = new ArrayList<>();
    for (List<String> connection : connections) {
      List<String> messages = stream.subscribeMessages(connection);
      assertThat(messages).hasSize((connection.size() + 99) / 100);
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = new JsonObject(messages.get(i));
        assertThat(m.getString("type")).isEqualTo("subscribe");
        JsonArray channels = m.getJsonArray("channels");
        JsonObject matches = channels.getJsonObject(0);
        assertThat(matches.getString("name")).isEqualTo("matches");
        assertThat(matches.getJsonArray("product_ids").size()).isLessThanOrEqualTo(100);
        matches.getJsonArray("product_ids").forEach(p -> subscribed.add((String) p));
        if (i == 0)
          assertThat(channels.getJsonObject(1))
              .isEqualTo(
                  new JsonObject()
                      .put("name", "heartbeat")
                      .put("product_ids", new JsonArray().add(connection.get(0))));
        else assertThat(channels.size()).isEqualTo(1);
      }
    }
    assertThat(subscribed).isEqualTo(products);
    assertThat(stream.subscribeMessages(List.of())).isEmpty();
    assertThat(stream.defaultUrl()).isEqualTo("wss://ws-feed.exchange.coinbase.com");
    assertThat(stream.keepAlive()).isEqualTo(KeepAlive.NONE);
    assertThat(stream.marketsPerConnection()).isEqualTo(500);
    assertThat(stream.marketsPerSubscribe()).isEqualTo(100);
    assertThat(stream.minSendIntervalMs()).isGreaterThanOrEqualTo(125); // 8 requests/s per IP
  }
}
