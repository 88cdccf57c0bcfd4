package oracle.exchange.binance;

import static oracle.exchange.stream.Recordings.parse;
import static oracle.exchange.stream.Recordings.trades;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.junit.jupiter.api.Test;

class BinanceTradeStreamTest {
  private final BinanceTradeStream stream = new BinanceTradeStream();

  @Test
  void recordedTradeInTheCombinedEnvelope() {
    List<StreamEvent> events = parse(stream, "trade_combined_ETHUSDT_nautilus_2021-12-12.json");
    assertThat(events).hasSize(1);
    // "m":true: the buyer was the maker, so the taker sold.
    assertThat(trades(events.get(0)))
        .containsExactly(
            new Trade(
                "binance",
                "ETHUSDT",
                4149.74,
                0.4387,
                1639351062243L,
                "705291099",
                705291099,
                705291099,
                Side.SELL,
                false));
  }

  @Test
  void recordedAggTradesCoverTheirTradeIds() {
    assertThat(
            trades(
                parse(stream, "aggTrade_combined_ETHUSDT_testnet_nautilus_2023-02-07.json").get(0)))
        .containsExactly(
            new Trade(
                "binance",
                "ETHUSDT",
                1632.46,
                0.34305,
                1675759520847L,
                "226532",
                228423,
                228423,
                Side.BUY,
                false));
    List<StreamEvent> events =
        parse(stream, "aggTrade_combined_NKNUSDT-LRCBTC_cryptofeed_2021-10-12.jsonl");
    assertThat(events).hasSize(2);
    assertThat(trades(events.get(0)))
        .containsExactly(
            new Trade(
                "binance",
                "NKNUSDT",
                0.3528,
                58.0,
                1633998523963L,
                "15683430",
                19862790,
                19862790,
                Side.BUY,
                false));
    assertThat(trades(events.get(1)))
        .containsExactly(
            new Trade(
                "binance",
                "LRCBTC",
                0.00000638,
                177.0,
                1633998534486L,
                "9213679",
                12368013,
                12368013,
                Side.BUY,
                false));
  }

  @Test
  void recordedKlinesAreIgnored() {
    assertThat(parse(stream, "kline_1m_combined_NKNUSDT-LRCBTC_cryptofeed_2021-10-12.jsonl"))
        .containsExactly(new StreamEvent.Ignored("kline"), new StreamEvent.Ignored("kline"));
  }

  @Test
  void subscribeAnswersInTheDocumentedForm() {
    assertThat(stream.parse("{\"result\":null,\"id\":3}"))
        .isEqualTo(new StreamEvent.Subscribed("request 3"));
    assertThat(
            stream.parse(
                "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown variant\"},\"id\":1}"))
        .isEqualTo(new StreamEvent.SubscribeError("Invalid request: unknown variant"));
    assertThat(stream.parse("{\"error\":\"bad\",\"id\":1}"))
        .isEqualTo(new StreamEvent.SubscribeError("bad"));
  }

  @Test
  void aRawStreamMessageIsReadWithoutTheEnvelope() {
    String raw =
        "{\"e\":\"trade\",\"E\":2,\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"1.5\",\"q\":\"2\",\"T\":1,\"m\":false}";
    assertThat(trades(stream.parse(raw)).get(0).lastSeq()).isEqualTo(7);
    assertThat(stream.parse("{\"e\":\"24hrTicker\"}"))
        .isEqualTo(new StreamEvent.Ignored("24hrTicker"));
    assertThat(stream.parse("{\"foo\":1}")).isEqualTo(new StreamEvent.Ignored("no event type"));
    assertThat(stream.parse("[1]")).isEqualTo(new StreamEvent.Ignored("not an object"));
  }

  @Test
  void malformedFramesNameTheProblem() {
    assertThat(stream.parse("{\"stream\":\"x\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\"}}"))
        .isEqualTo(new StreamEvent.Malformed("binance: field 'p' missing"));
    assertThat(stream.parse("{\"stream\":\"x\"}"))
        .isEqualTo(new StreamEvent.Malformed("binance: field 'data' missing"));
    assertThat(
            stream.parse(
                "{\"e\":\"trade\",\"s\":\"B\",\"t\":7,\"p\":\"x\",\"q\":\"2\",\"T\":1,\"m\":false}"))
        .isEqualTo(new StreamEvent.Malformed("binance: field 'p' is not a number: x"));
    assertThat(
            stream.parse(
                "{\"e\":\"aggTrade\",\"s\":\"B\",\"a\":1,\"f\":9,\"l\":8,\"p\":\"1\",\"q\":\"2\",\"T\":1,\"m\":false}"))
        .isEqualTo(new StreamEvent.Malformed("binance: field 'l' is before 'f': 8 < 9"));
    assertThat(stream.parse("not json")).isInstanceOf(StreamEvent.Malformed.class);
  }

  @Test
  void threeThousandMarketsTakeThreeConnectionsOfAtMost1024Streams() {
    List<String> markets = IntStream.range(0, 3000).mapToObj(i -> "SYM" + i + "USDT").toList();
    List<List<String>> connections = stream.connections(markets);
    assertThat(connections).extracting(List::size).containsExactly(1024, 1024, 952);
    List<String> subscribed = new ArrayList<>();
    for (List<String> connection : connections) {
      List<String> messages = stream.subscribeMessages(connection);
      assertThat(messages).hasSize((connection.size() + 199) / 200);
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = new JsonObject(messages.get(i));
        assertThat(m.getString("method")).isEqualTo("SUBSCRIBE");
        assertThat(m.getInteger("id")).isEqualTo(i + 1);
        JsonArray params = m.getJsonArray("params");
        assertThat(params.size()).isLessThanOrEqualTo(200);
        params.forEach(p -> subscribed.add((String) p));
      }
    }
    assertThat(subscribed)
        .isEqualTo(markets.stream().map(m -> m.toLowerCase() + "@trade").toList());
    assertThat(stream.marketsPerConnection()).isEqualTo(1024);
    assertThat(stream.marketsPerSubscribe()).isEqualTo(200);
    assertThat(stream.minSendIntervalMs()).isGreaterThanOrEqualTo(200); // ≤ 5 messages/s
    assertThat(stream.connections(List.of("A", "A", "B"))).containsExactly(List.of("A", "B"));
  }

  @Test
  void keepAliveIsTheServersPing() {
    assertThat(stream.defaultUrl()).isEqualTo("wss://stream.binance.com:9443/stream");
    assertThat(stream.keepAlive().kind()).isEqualTo(oracle.exchange.stream.KeepAlive.Kind.NONE);
  }
}
