package oracle.exchange.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared pieces every venue's protocol reads its frames with. */
class StreamTypesTest {

  @Test
  void numbersAreReadFromJsonNumbersOrDecimalText() {
    JsonObject o = new JsonObject("{\"a\":\"1.5\",\"b\":2,\"c\":\"12\",\"d\":7}");
    assertThat(Frames.positive(o, "a")).isEqualTo(1.5);
    assertThat(Frames.positive(o, "b")).isEqualTo(2.0);
    assertThat(Frames.integer(o, "c")).isEqualTo(12);
    assertThat(Frames.integer(o, "d")).isEqualTo(7);
  }

  @Test
  void invalidFieldsAreNamed() {
    JsonObject o =
        new JsonObject(
            "{\"t\":true,\"n\":1.5,\"neg\":-1,\"big\":\"1e999\",\"s\":\"x\",\"e\":\"\",\"arr\":[1],\"o\":{}}");
    assertThatThrownBy(() -> Frames.positive(o, "t")).hasMessage("field 't' is not a number: true");
    assertThatThrownBy(() -> Frames.positive(o, "big"))
        .hasMessage("field 'big' must be a positive number: 1e999");
    assertThatThrownBy(() -> Frames.positive(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.integer(o, "n")).hasMessage("field 'n' is not an integer: 1.5");
    assertThatThrownBy(() -> Frames.integer(o, "neg")).hasMessage("field 'neg' is negative: -1");
    assertThatThrownBy(() -> Frames.integer(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.text(o, "e")).hasMessage("field 'e' is not text: ");
    assertThatThrownBy(() -> Frames.text(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.bool(o, "s")).hasMessage("field 's' is not a boolean");
    assertThatThrownBy(() -> Frames.bool(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.object(o, "s")).hasMessage("field 's' is not an object");
    assertThatThrownBy(() -> Frames.object(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.objects(o, "s")).hasMessage("field 's' is not an array");
    assertThatThrownBy(() -> Frames.objects(o, "missing")).hasMessage("field 'missing' missing");
    assertThatThrownBy(() -> Frames.objects(o, "arr"))
        .hasMessage("field 'arr' holds a non-object: 1");
    assertThatThrownBy(() -> Frames.side(o, "s")).hasMessage("field 's' is not buy or sell: x");
    assertThat(Frames.optionalText(o, "n")).isNull();
  }

  @Test
  void chunksAndDistinct() {
    assertThat(Chunks.of(List.of(1, 2, 3, 4, 5), 2))
        .containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
    assertThat(Chunks.of(List.of(), 3)).isEmpty();
    assertThatThrownBy(() -> Chunks.of(List.of(1), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Chunks.distinct(List.of("b", "a", "b"))).containsExactly("b", "a");
  }

  @Test
  void tradesEventsAreNeverEmpty() {
    assertThat(StreamEvent.ofTrades(List.of())).isEqualTo(new StreamEvent.Ignored("no trades"));
    Trade t = Trade.sequenced("binance", "BTCUSDT", 1, 1, 1, 1, Side.BUY, false);
    assertThat(StreamEvent.ofTrades(List.of(t))).isEqualTo(new StreamEvent.Trades(List.of(t)));
    assertThatThrownBy(() -> new StreamEvent.Trades(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJsonProtocolNeverThrows() {
    JsonTradeStream echo =
        new JsonTradeStream() {
          @Override
          public String source() {
            return "test";
          }

          @Override
          public String defaultUrl() {
            return "ws://127.0.0.1/";
          }

          @Override
          public int marketsPerConnection() {
            return 2;
          }

          @Override
          public int marketsPerSubscribe() {
            return 1;
          }

          @Override
          public long minSendIntervalMs() {
            return 0;
          }

          @Override
          public KeepAlive keepAlive() {
            return KeepAlive.NONE;
          }

          @Override
          public List<String> subscribeMessages(List<String> marketIds) {
            return marketIds;
          }

          @Override
          protected StreamEvent read(Object json) {
            JsonObject o = (JsonObject) json;
            return new StreamEvent.Ignored(o.getJsonObject("k").encode());
          }
        };
    assertThat(echo.parse("{\"k\":{}}")).isEqualTo(new StreamEvent.Ignored("{}"));
    assertThat(echo.parse("{\"k\":")).isInstanceOf(StreamEvent.Malformed.class);
    assertThat(((StreamEvent.Malformed) echo.parse("{]")).reason()).startsWith("test: not JSON: ");
    assertThat(echo.parse("")).isEqualTo(new StreamEvent.Malformed("test: empty frame"));
    assertThat(echo.parse("null")).isEqualTo(new StreamEvent.Malformed("test: a JSON null"));
    assertThat(((StreamEvent.Malformed) echo.parse("{\"k\":5}")).reason())
        .startsWith("test: a field has the wrong type");
    assertThat(echo.connections(List.of("a", "b", "c")))
        .containsExactly(List.of("a", "b"), List.of("c"));
    assertThat(KeepAlive.NONE.kind()).isEqualTo(KeepAlive.Kind.NONE);
  }
}
