package oracle.exchange.kraken;

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

class KrakenTradeStreamTest {
  private final KrakenTradeStream stream = new KrakenTradeStream();

  @Test
  void recordedSnapshotIsMarkedAReplay() {
    List<StreamEvent> events =
        parse(stream, "v2_trade_snapshot_BTC-USD_kraken-async-rs_2024-05-27.json");
    assertThat(trades(events.get(0)))
        .containsExactly(
            Trade.sequenced(
                "kraken",
                "BTC/USD",
                68466.9,
                0.01919415,
                1716813190826L,
                70635251,
                Side.SELL,
                true),
            Trade.sequenced(
                "kraken",
                "BTC/USD",
                68471.2,
                0.00007723,
                1716813190980L,
                70635252,
                Side.BUY,
                true));
  }

  @Test
  void recordedUpdateIsCounted() {
    List<StreamEvent> events =
        parse(stream, "v2_trade_update_BTC-USD_kraken-async-rs_2024-05-27.json");
    assertThat(trades(events.get(0)))
        .containsExactly(
            Trade.sequenced(
                "kraken",
                "BTC/USD",
                68500.0,
                0.01044926,
                1716813791798L,
                70635299,
                Side.BUY,
                false),
            Trade.sequenced(
                "kraken",
                "BTC/USD",
                68500.0,
                0.00483192,
                1716813791798L,
                70635300,
                Side.BUY,
                false));
  }

  @Test
  void snapshotIsNotCountedAndAnUpdateTenMinutesLaterShowsTheIdsBetweenAsAGap() {
    GapDetector gaps = new GapDetector();
    for (Trade t :
        trades(parse(stream, "v2_trade_snapshot_BTC-USD_kraken-async-rs_2024-05-27.json").get(0)))
      assertThat(gaps.check(t)).isEqualTo(GapDetector.Verdict.SKIP);
    List<Trade> update =
        trades(parse(stream, "v2_trade_update_BTC-USD_kraken-async-rs_2024-05-27.json").get(0));
    assertThat(gaps.check(update.get(0)))
        .isEqualTo(new GapDetector.Verdict(true, 70635299 - 70635252 - 1));
    assertThat(gaps.check(update.get(1))).isEqualTo(GapDetector.Verdict.COUNT);
    assertThat(gaps.check(update.get(1))).isEqualTo(GapDetector.Verdict.SKIP);
  }

  @Test
  void recordedControlMessages() {
    assertThat(parse(stream, "v2_subscribe_ack_trade_BTC-USD_kraken-async-rs_2024-05-19.json"))
        .containsExactly(new StreamEvent.Subscribed("trade BTC/USD"));
    assertThat(parse(stream, "v2_subscribe_error_WWW-USD_kraken-async-rs_2025-08-26.json"))
        .containsExactly(new StreamEvent.SubscribeError("Currency pair not supported WWW/USD"));
    assertThat(parse(stream, "v2_pong_kraken-async-rs_2024-05-20.json"))
        .containsExactly(new StreamEvent.Pong());
    assertThat(parse(stream, "v2_heartbeat_status_kraken-async-rs_2024-05.jsonl"))
        .containsExactly(new StreamEvent.Heartbeat(null), new StreamEvent.Ignored("status"));
    assertThat(parse(stream, "v2_ohlc_1_snapshot_ETH-USD_kraken-async-rs_2024-05-17.json"))
        .containsExactly(new StreamEvent.Ignored("ohlc"));
  }

  @Test
  void legacyV1MessagesAreIgnoredNotReadAsTrades() {
    assertThat(parse(stream, "v1_trade_XMR-USD_SC-EUR_cryptofeed_2021-04-17.jsonl"))
        .containsExactly(
            new StreamEvent.Ignored("v1 systemStatus"),
            new StreamEvent.Ignored("v1 subscriptionStatus"),
            new StreamEvent.Ignored("v1 heartbeat"),
            new StreamEvent.Ignored("v1 message"),
            new StreamEvent.Ignored("v1 message"),
            new StreamEvent.Ignored("v1 message"));
  }

  @Test
  void otherAndMalformedMessages() {
    assertThat(stream.parse("{\"method\":\"unsubscribe\",\"success\":true}"))
        .isEqualTo(new StreamEvent.Ignored("unsubscribe"));
    assertThat(stream.parse("{\"method\":\"subscribe\",\"success\":false}"))
        .isEqualTo(new StreamEvent.SubscribeError("{\"method\":\"subscribe\",\"success\":false}"));
    assertThat(stream.parse("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[]}"))
        .isEqualTo(new StreamEvent.Ignored("no trades"));
    assertThat(stream.parse("{\"foo\":1}")).isEqualTo(new StreamEvent.Ignored("no channel"));
    assertThat(stream.parse("\"text\"")).isEqualTo(new StreamEvent.Ignored("not an object"));
    assertThat(stream.parse("{\"channel\":\"trade\",\"type\":\"delta\",\"data\":[]}"))
        .isEqualTo(
            new StreamEvent.Malformed("kraken: field 'type' is not snapshot or update: delta"));
    assertThat(
            stream.parse(
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":0,\"qty\":1,\"trade_id\":1,\"timestamp\":\"2024-05-27T12:43:11Z\"}]}"))
        .isEqualTo(new StreamEvent.Malformed("kraken: field 'price' must be a positive number: 0"));
  }

  @Test
  void subscribeWithoutSnapshotWithinTheChunkSize() {
    List<String> symbols = IntStream.range(0, 1100).mapToObj(i -> "S" + i + "/USD").toList();
    assertThat(stream.connections(symbols)).extracting(List::size).containsExactly(500, 500, 100);
    List<String> messages = stream.subscribeMessages(stream.connections(symbols).get(0));
    assertThat(messages).hasSize(5);
    JsonObject first = new JsonObject(messages.get(0));
    assertThat(first.getString("method")).isEqualTo("subscribe");
    assertThat(first.getInteger("req_id")).isEqualTo(1);
    assertThat(first.getJsonObject("params").getString("channel")).isEqualTo("trade");
    assertThat(first.getJsonObject("params").getBoolean("snapshot")).isFalse();
    assertThat(first.getJsonObject("params").getJsonArray("symbol").getList())
        .isEqualTo(symbols.subList(0, 100));
    assertThat(stream.marketsPerSubscribe()).isEqualTo(100);
    assertThat(stream.minSendIntervalMs()).isPositive();
    assertThat(stream.defaultUrl()).isEqualTo("wss://ws.kraken.com/v2");
    assertThat(stream.keepAlive()).isEqualTo(KeepAlive.text("{\"method\":\"ping\"}", 30_000));
  }
}
