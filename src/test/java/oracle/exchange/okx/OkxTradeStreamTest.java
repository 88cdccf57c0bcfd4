package oracle.exchange.okx;

import static oracle.exchange.stream.Recordings.parse;
import static oracle.exchange.stream.Recordings.trades;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.junit.jupiter.api.Test;

class OkxTradeStreamTest {
  private final OkxTradeStream stream = new OkxTradeStream();

  @Test
  void recordedSessionParsesIntoItsAckAndTrades() {
    List<StreamEvent> events = parse(stream, "trades_BTC-USDT_cryptofeed_2022-05-13.jsonl");
    assertThat(events).hasSize(5);
    assertThat(events.get(0)).isEqualTo(new StreamEvent.Subscribed("trades BTC-USDT"));
    assertThat(events.subList(1, 5).stream().flatMap(e -> trades(e).stream()).toList())
        .containsExactly(
            Trade.sequenced(
                "okx", "BTC-USDT", 30236, 0.0002, 1652459224818L, 338476307, Side.BUY, false),
            Trade.sequenced(
                "okx", "BTC-USDT", 30243.5, 0.001, 1652459226050L, 338476308, Side.BUY, false),
            Trade.sequenced(
                "okx", "BTC-USDT", 30243.5, 0.0002, 1652459226050L, 338476309, Side.BUY, false),
            Trade.sequenced(
                "okx",
                "BTC-USDT",
                30243.5,
                0.00684062,
                1652459226050L,
                338476310,
                Side.BUY,
                false));
  }

  @Test
  void theTradePushedOnSubscribingIsDroppedWhenAlreadySeen() {
    GapDetector gaps = new GapDetector();
    List<StreamEvent> events = parse(stream, "trades_BTC-USDT_cryptofeed_2022-05-13.jsonl");
    for (StreamEvent e : events.subList(1, 5))
      assertThat(gaps.check(trades(e).get(0))).isEqualTo(GapDetector.Verdict.COUNT);
    // A reconnect: OKX pushes its latest trade again.
    assertThat(gaps.check(trades(events.get(4)).get(0))).isEqualTo(GapDetector.Verdict.SKIP);
  }

  @Test
  void anAggregatedPushCoversCountIds() {
    Trade t =
        trades(
                stream.parse(
                    "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"tradeId\":\"130639474\",\"px\":\"42219.9\",\"sz\":\"0.12060306\",\"side\":\"buy\",\"ts\":\"1630048897897\",\"count\":\"3\"}]}"))
            .get(0);
    assertThat(t.firstSeq()).isEqualTo(130639472);
    assertThat(t.lastSeq()).isEqualTo(130639474);
    assertThat(t.id()).isEqualTo("130639474");
    GapDetector gaps = new GapDetector();
    gaps.check(Trade.sequenced("okx", "BTC-USDT", 1, 1, 1, 130639471, Side.BUY, false));
    assertThat(gaps.check(t)).isEqualTo(GapDetector.Verdict.COUNT);
  }

  @Test
  void controlMessages() {
    assertThat(parse(stream, "subscribe_ack_candle1m_ETH-USDT_nautilus.json"))
        .containsExactly(new StreamEvent.Subscribed("candle1m ETH-USDT"));
    assertThat(stream.parse("pong")).isEqualTo(new StreamEvent.Pong());
    assertThat(
            stream.parse(
                "{\"event\":\"error\",\"code\":\"60018\",\"msg\":\"Wrong URL or channel:trades,instId:FOO-BAR doesn't exist.\",\"connId\":\"a4d3ae55\"}"))
        .isEqualTo(
            new StreamEvent.SubscribeError(
                "60018: Wrong URL or channel:trades,instId:FOO-BAR doesn't exist."));
    assertThat(stream.parse("{\"event\":\"unsubscribe\"}"))
        .isEqualTo(new StreamEvent.Ignored("unsubscribe"));
    assertThat(stream.parse("{\"arg\":{\"channel\":\"candle1m\"},\"data\":[]}"))
        .isEqualTo(new StreamEvent.Ignored("candle1m"));
    assertThat(stream.parse("{\"arg\":{\"channel\":\"trades\"},\"data\":[]}"))
        .isEqualTo(new StreamEvent.Ignored("no trades"));
    assertThat(stream.parse("{\"x\":1}")).isEqualTo(new StreamEvent.Ignored("no data"));
    assertThat(stream.parse("[1]")).isEqualTo(new StreamEvent.Ignored("not an object"));
  }

  @Test
  void malformedFramesNameTheProblem() {
    assertThat(stream.parse("ping")).isInstanceOf(StreamEvent.Malformed.class);
    assertThat(
            stream.parse(
                "{\"arg\":{\"channel\":\"trades\"},\"data\":[{\"instId\":\"A-B\",\"tradeId\":\"5\",\"px\":\"1\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\",\"count\":\"7\"}]}"))
        .isEqualTo(new StreamEvent.Malformed("okx: field 'count' out of range: 7"));
    assertThat(
            stream.parse(
                "{\"arg\":{\"channel\":\"trades\"},\"data\":[{\"instId\":\"A-B\",\"tradeId\":\"x5\",\"px\":\"1\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}]}"))
        .isEqualTo(new StreamEvent.Malformed("okx: field 'tradeId' is not an integer: x5"));
    assertThat(stream.parse("{\"event\":\"subscribe\",\"arg\":5}"))
        .isInstanceOf(StreamEvent.Malformed.class);
  }

  @Test
  void subscribeArgsWithinTheRequestLimit() {
    List<String> ids = IntStream.range(0, 1200).mapToObj(i -> "C" + i + "-USDT").toList();
    List<List<String>> connections = stream.connections(ids);
    assertThat(connections).extracting(List::size).containsExactly(500, 500, 200);
    List<String> messages = stream.subscribeMessages(connections.get(0));
    assertThat(messages).hasSize(2);
    for (String m : messages) {
      assertThat(m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
      JsonObject o = new JsonObject(m);
      assertThat(o.getString("op")).isEqualTo("subscribe");
      JsonArray args = o.getJsonArray("args");
      assertThat(args.size()).isEqualTo(250);
      assertThat(args.getJsonObject(0).getString("channel")).isEqualTo("trades");
    }
    assertThat(
            new JsonObject(messages.get(1))
                .getJsonArray("args")
                .getJsonObject(249)
                .getString("instId"))
        .isEqualTo("C499-USDT");
    assertThat(stream.marketsPerSubscribe()).isEqualTo(250);
    assertThat(stream.minSendIntervalMs()).isGreaterThanOrEqualTo(334); // 3 requests/s
    assertThat(stream.defaultUrl()).isEqualTo("wss://ws.okx.com:8443/ws/v5/public");
    assertThat(stream.keepAlive()).isEqualTo(KeepAlive.text("ping", 25_000));
    assertThat(stream.keepAlive().intervalMs()).isLessThan(30_000);
  }
}
