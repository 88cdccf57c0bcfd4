package oracle.exchange.kraken;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.stream.Chunks;
import oracle.exchange.stream.FrameException;
import oracle.exchange.stream.Frames;
import oracle.exchange.stream.JsonTradeStream;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;

/**
 * Kraken spot WebSocket v2 {@code trade} channel ({@code wss://ws.kraken.com/v2}), symbols as v2
 * names them ({@code BTC/USD}), subscribed without the snapshot (one still arriving is marked a
 * replay). Kraken sends a {@code heartbeat} about once a second on a subscribed connection and
 * answers {@code {"method":"ping"}} with a pong. {@code trade_id} is contiguous per pair; {@code
 * side} is the taker's. Legacy v1 messages (arrays, {@code event}) are ignored.
 */
public final class KrakenTradeStream extends JsonTradeStream {
  public static final String SOURCE = "kraken";

  /**
   * Kraken documents no cap on symbols per connection; 500 (about the whole spot list) keeps one
   * connection's loss bounded.
   */
  static final int SYMBOLS_PER_CONNECTION = 500;

  /** No documented cap on one request's symbol list; 100 keep a request near 1.5 KB. */
  static final int SYMBOLS_PER_SUBSCRIBE = 100;

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://ws.kraken.com/v2";
  }

  /** v2 names pairs by their standard asset codes ({@code BTC/USD}), not REST's {@code XBTUSD}. */
  @Override
  public String marketId(String restId, String base, String quote) {
    return base + "/" + quote;
  }

  @Override
  public int marketsPerConnection() {
    return SYMBOLS_PER_CONNECTION;
  }

  @Override
  public int marketsPerSubscribe() {
    return SYMBOLS_PER_SUBSCRIBE;
  }

  @Override
  public long minSendIntervalMs() {
    return 200;
  }

  /** The heartbeat channel shows liveness; a ping every 30 s also proves the path both ways. */
  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.text(new JsonObject().put("method", "ping").encode(), 30_000);
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    List<String> out = new ArrayList<>();
    int reqId = 1;
    for (List<String> chunk : Chunks.of(Chunks.distinct(marketIds), SYMBOLS_PER_SUBSCRIBE)) {
      JsonObject params =
          new JsonObject()
              .put("channel", "trade")
              .put("symbol", new JsonArray(new ArrayList<Object>(chunk)))
              .put("snapshot", false);
      out.add(
          new JsonObject()
              .put("method", "subscribe")
              .put("params", params)
              .put("req_id", reqId++)
              .encode());
    }
    return out;
  }

  @Override
  protected StreamEvent read(Object json) {
    if (json instanceof JsonArray) return new StreamEvent.Ignored("v1 message");
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    if (o.containsKey("method")) return method(o, Frames.text(o, "method"));
    if (o.containsKey("channel")) {
      String channel = Frames.text(o, "channel");
      return switch (channel) {
        case "heartbeat" -> new StreamEvent.Heartbeat(null);
        case "trade" -> trades(o);
        default -> new StreamEvent.Ignored(channel);
      };
    }
    return new StreamEvent.Ignored(
        o.containsKey("event") ? "v1 " + o.getValue("event") : "no channel");
  }

  private static StreamEvent method(JsonObject o, String method) {
    return switch (method) {
      case "pong" -> new StreamEvent.Pong();
      case "subscribe" -> {
        if (o.getValue("success") instanceof Boolean ok && ok) {
          JsonObject result = o.getJsonObject("result", new JsonObject());
          yield new StreamEvent.Subscribed(
              result.getValue("channel") + " " + result.getValue("symbol"));
        }
        String error = Frames.optionalText(o, "error");
        yield new StreamEvent.SubscribeError(error == null ? o.encode() : error);
      }
      default -> new StreamEvent.Ignored(method);
    };
  }

  private static StreamEvent trades(JsonObject o) {
    String type = Frames.text(o, "type");
    boolean replay;
    if (type.equals("snapshot")) replay = true;
    else if (type.equals("update")) replay = false;
    else throw new FrameException("field 'type' is not snapshot or update: " + type);
    List<Trade> out = new ArrayList<>();
    for (JsonObject t : Frames.objects(o, "data"))
      out.add(
          Trade.sequenced(
              SOURCE,
              Frames.text(t, "symbol"),
              Frames.positive(t, "price"),
              Frames.positive(t, "qty"),
              Frames.isoMillis(t, "timestamp"),
              Frames.integer(t, "trade_id"),
              Frames.side(t, "side"),
              replay));
    return StreamEvent.ofTrades(out);
  }
}
