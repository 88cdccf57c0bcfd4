package oracle.exchange.upbit;

import static oracle.exchange.stream.Recordings.frames;
import static oracle.exchange.stream.Recordings.parse;
import static oracle.exchange.stream.Recordings.trades;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.stream.IntStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.junit.jupiter.api.Test;

class UpbitTradeStreamTest {
  private static final String DEFAULT_FILE = "trade_DEFAULT_KRW-DOGE_tardis_2021-03-02.json";
  private final UpbitTradeStream stream = new UpbitTradeStream();

  @Test
  void recordedDefaultFormatTrade() {
    assertThat(trades(parse(stream, DEFAULT_FILE).get(0)))
        .containsExactly(
            Trade.unsequenced(
                "upbit",
                "KRW-DOGE",
                58.4,
                836.12040133,
                1614729599000L,
                "1614729599000000",
                Side.SELL,
                false));
  }

  @Test
  void recordedSimpleFormatBinaryFrames() {
    List<StreamEvent> events =
        parse(stream, "trade_SIMPLE_KRW-LAMB_BTC-ITAM_KRW-WAVES_cryptofeed_2021-04-17.jsonl");
    assertThat(events.stream().flatMap(e -> trades(e).stream()).toList())
        .containsExactly(
            Trade.unsequenced(
                "upbit",
                "KRW-LAMB",
                127.0,
                46.48838371,
                1618678262000L,
                "1618678262000003",
                Side.BUY,
                false),
            Trade.unsequenced(
                "upbit",
                "KRW-LAMB",
                126.0,
                47.97601199,
                1618678262000L,
                "1618678262000004",
                Side.SELL,
                false),
            Trade.unsequenced(
                "upbit",
                "BTC-ITAM",
                0.00000113,
                3416.89061628,
                1618678272000L,
                "16186782720000000",
                Side.SELL,
                false),
            Trade.unsequenced(
                "upbit",
                "KRW-WAVES",
                20230.0,
                1.205185,
                1618678275000L,
                "1618678275000000",
                Side.BUY,
                false));
  }

  @Test
  void aSnapshotTradeIsAReplayAndNotCounted() {
    String recorded = frames("upbit", DEFAULT_FILE).get(0).toString();
    String snapshot =
        recorded.replace("\"stream_type\":\"REALTIME\"", "\"stream_type\":\"SNAPSHOT\"");
    assertThat(snapshot).isNotEqualTo(recorded);
    Trade t =
        trades(
                stream.parse(
                    Buffer.buffer(snapshot.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
            .get(0);
    assertThat(t.replay()).isTrue();
    assertThat(new GapDetector().check(t)).isEqualTo(GapDetector.Verdict.SKIP);
    String simple =
        "{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"ttms\":1,\"tp\":1,\"tv\":1,\"ab\":\"BID\",\"sid\":1,\"st\":\"SNAPSHOT\"}";
    assertThat(trades(stream.parse(simple)).get(0).replay()).isTrue();
  }

  @Test
  void controlAndMalformedMessages() {
    assertThat(stream.parse("{\"status\":\"UP\"}")).isEqualTo(new StreamEvent.Pong());
    assertThat(stream.parse("{\"error\":{\"name\":\"INVALID_PARAM\",\"message\":\"잘못된 요청입니다.\"}}"))
        .isEqualTo(new StreamEvent.SubscribeError("INVALID_PARAM: 잘못된 요청입니다."));
    assertThat(stream.parse("{\"type\":\"ticker\"}")).isEqualTo(new StreamEvent.Ignored("ticker"));
    assertThat(stream.parse("{\"x\":1}")).isEqualTo(new StreamEvent.Ignored("no type"));
    assertThat(stream.parse("[]")).isEqualTo(new StreamEvent.Ignored("not an object"));
    assertThat(
            stream.parse(
                "{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"ttms\":1,\"tp\":1,\"tv\":1,\"ab\":\"SIDE\",\"sid\":1}"))
        .isEqualTo(new StreamEvent.Malformed("upbit: field 'ab' is not ASK or BID: SIDE"));
    assertThat(stream.parse(Buffer.buffer(new byte[] {(byte) 0xff, 0x00})))
        .isInstanceOf(StreamEvent.Malformed.class);
  }

  @Test
  void oneRequestPerConnectionCarriesAllItsCodes() {
    List<String> codes = IntStream.range(0, 700).mapToObj(i -> "KRW-C" + i).toList();
    List<List<String>> connections = stream.connections(codes);
    assertThat(connections).extracting(List::size).containsExactly(300, 300, 100);
    List<String> messages = stream.subscribeMessages(connections.get(0));
    assertThat(messages).hasSize(1);
    JsonArray request = new JsonArray(messages.get(0));
    assertThat(request.getJsonObject(0).getString("ticket")).isNotBlank();
    assertThat(request.getJsonObject(1).getString("type")).isEqualTo("trade");
    assertThat(request.getJsonObject(1).getJsonArray("codes").getList())
        .isEqualTo(connections.get(0));
    assertThat(request.getJsonObject(1).getBoolean("is_only_realtime")).isTrue();
    assertThat(request.getJsonObject(2).getString("format")).isEqualTo("DEFAULT");
    assertThat(stream.subscribeMessages(List.of())).isEmpty();
    assertThatThrownBy(() -> stream.subscribeMessages(codes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 300");
    assertThat(stream.marketsPerSubscribe()).isEqualTo(stream.marketsPerConnection());
    assertThat(stream.minSendIntervalMs()).isGreaterThanOrEqualTo(200); // 5 requests/s
    assertThat(stream.defaultUrl()).isEqualTo("wss://api.upbit.com/websocket/v1");
    assertThat(stream.keepAlive()).isEqualTo(KeepAlive.text("PING", 60_000));
  }
}
