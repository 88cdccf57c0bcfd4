package oracle.exchange.bybit;

import static oracle.exchange.stream.Recordings.parse;
import static oracle.exchange.stream.Recordings.trades;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.junit.jupiter.api.Test;

class BybitTradeStreamTest {
  private final BybitTradeStream stream = new BybitTradeStream();

  private static Trade sell(String id, double size) {
    return Trade.unsequenced(
        "bybit", "BTCUSDT", 28165.38, size, 1680652847524L, id, Side.SELL, false);
  }

  @Test
  void recordedSpotPushIsFourCountedTradesWithoutSequence() {
    List<Trade> trades =
        trades(parse(stream, "publicTrade_spot_BTCUSDT_tardis_2023-04-05.json").get(0));
    // "type":"snapshot" is Bybit's name for every trade push: no replay.
    assertThat(trades)
        .containsExactly(
            sell("2290000000050703789", 0.041732),
            sell("2290000000050703790", 0.008513),
            sell("2290000000050703791", 0.042384),
            sell("2290000000050703792", 0.055371));
    GapDetector gaps = new GapDetector();
    assertThat(trades)
        .allSatisfy(t -> assertThat(gaps.check(t)).isEqualTo(GapDetector.Verdict.COUNT));
  }

  @Test
  void docsExampleTradeWithAUuidId() {
    assertThat(
            trades(parse(stream, "publicTrade_BTCUSDT_bybit-docs-example_2022-12-29.json").get(0)))
        .containsExactly(
            Trade.unsequenced(
                "bybit",
                "BTCUSDT",
                16578.50,
                0.001,
                1672304486865L,
                "20f43950-d8dd-5b31-9112-a178eb6023af",
                Side.BUY,
                false));
  }

  @Test
  void controlMessages() {
    assertThat(parse(stream, "subscribe_ack_spot_bybit-docs-example.json"))
        .containsExactly(new StreamEvent.Subscribed("request 10001"));
    assertThat(parse(stream, "pong_spot_bybit-docs-example.json"))
        .containsExactly(new StreamEvent.Pong());
    assertThat(parse(stream, "kline_5_BTCUSDT_bybit-docs-example_2022-12-29.json"))
        .containsExactly(new StreamEvent.Ignored("kline.5.BTCUSDT"));
    assertThat(
            stream.parse(
                "{\"success\":false,\"ret_msg\":\"Invalid symbol :[publicTrade.FOOUSDT]\",\"conn_id\":\"c\",\"op\":\"subscribe\"}"))
        .isEqualTo(new StreamEvent.SubscribeError("Invalid symbol :[publicTrade.FOOUSDT]"));
    assertThat(stream.parse("{\"op\":\"pong\"}")).isEqualTo(new StreamEvent.Pong());
    assertThat(stream.parse("{\"op\":\"auth\"}")).isEqualTo(new StreamEvent.Ignored("auth"));
    assertThat(stream.parse("{\"x\":1}")).isEqualTo(new StreamEvent.Ignored("no topic"));
    assertThat(stream.parse("[]")).isEqualTo(new StreamEvent.Ignored("not an object"));
  }

  @Test
  void malformedTradeNamesTheField() {
    assertThat(
            stream.parse(
                "{\"topic\":\"publicTrade.BTCUSDT\",\"data\":[{\"i\":\"1\",\"T\":1,\"p\":\"1\",\"v\":\"-2\",\"S\":\"Buy\",\"s\":\"BTCUSDT\"}]}"))
        .isEqualTo(new StreamEvent.Malformed("bybit: field 'v' must be a positive number: -2"));
    assertThat(stream.parse("{\"topic\":\"publicTrade.BTCUSDT\",\"data\":{}}"))
        .isEqualTo(new StreamEvent.Malformed("bybit: field 'data' is not an array"));
  }

  @Test
  void twentyFiveMarketsTakeThreeSubscribeMessagesOfAtMostTenArgs() {
    List<String> symbols = IntStream.range(0, 25).mapToObj(i -> "S" + i + "USDT").toList();
    List<String> messages = stream.subscribeMessages(symbols);
    assertThat(messages)
        .extracting(m -> new JsonObject(m).getJsonArray("args").size())
        .containsExactly(10, 10, 5);
    JsonObject first = new JsonObject(messages.get(0));
    assertThat(first.getString("op")).isEqualTo("subscribe");
    assertThat(first.getJsonArray("args").getString(0)).isEqualTo("publicTrade.S0USDT");
    assertThat(stream.connections(IntStream.range(0, 450).mapToObj(i -> "S" + i).toList()))
        .extracting(List::size)
        .containsExactly(200, 200, 50);
    assertThat(stream.marketsPerSubscribe()).isEqualTo(10);
    assertThat(stream.minSendIntervalMs()).isPositive();
    assertThat(stream.defaultUrl()).isEqualTo("wss://stream.bybit.com/v5/public/spot");
    assertThat(stream.keepAlive()).isEqualTo(KeepAlive.text("{\"op\":\"ping\"}", 20_000));
  }
}
