package oracle.exchange.okx;

import io.vertx.core.buffer.Buffer;
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
 * OKX v5 public {@code trades} channel. Limits (OKX API v5, "WebSocket"): 3 connection requests per
 * second per IP, 480 subscribe/unsubscribe requests per connection per hour, at most 64 KB of
 * {@code args} in one request; the server closes a connection with no data for 30 s, so the client
 * sends the text {@code ping} (answered by the text {@code pong}). One push may aggregate several
 * fills of one taker order at one price: {@code count} of them, {@code tradeId} the last, so the
 * message covers ids {@code tradeId - count + 1 .. tradeId} (contiguous per instrument). OKX pushes
 * the latest trade on subscribing, indistinguishable from a new one: a repeat is dropped by its id.
 */
public final class OkxTradeStream extends JsonTradeStream {
  public static final String SOURCE = "okx";

  /**
   * No documented cap on channels per connection; 500 keeps one connection's loss bounded (OKX
   * lists under 1,000 spot instruments).
   */
  static final int INSTRUMENTS_PER_CONNECTION = 500;

  /** About 50 bytes an arg: 250 args are about 12 KB, well under the 64 KB request limit. */
  static final int INSTRUMENTS_PER_SUBSCRIBE = 250;

  private static final Buffer PONG = Buffer.buffer("pong");

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://ws.okx.com:8443/ws/v5/public";
  }

  @Override
  public int marketsPerConnection() {
    return INSTRUMENTS_PER_CONNECTION;
  }

  @Override
  public int marketsPerSubscribe() {
    return INSTRUMENTS_PER_SUBSCRIBE;
  }

  /** 480 requests an hour per connection: two per connection (and reconnects) stay far below. */
  @Override
  public long minSendIntervalMs() {
    return 350;
  }

  /** "ping" every 25 s, inside the 30 s the server waits before closing a quiet connection. */
  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.text("ping", 25_000);
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    List<String> out = new ArrayList<>();
    for (List<String> chunk : Chunks.of(Chunks.distinct(marketIds), INSTRUMENTS_PER_SUBSCRIBE)) {
      JsonArray args = new JsonArray();
      for (String instId : chunk)
        args.add(new JsonObject().put("channel", "trades").put("instId", instId));
      out.add(new JsonObject().put("op", "subscribe").put("args", args).encode());
    }
    return out;
  }

  @Override
  public StreamEvent parse(Buffer frame) {
    return frame.equals(PONG) ? new StreamEvent.Pong() : super.parse(frame);
  }

  @Override
  protected StreamEvent read(Object json) {
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    String event = Frames.optionalText(o, "event");
    if (event != null)
      return switch (event) {
        case "subscribe" -> new StreamEvent.Subscribed(argument(o));
        case "error" ->
            new StreamEvent.SubscribeError(o.getValue("code") + ": " + o.getValue("msg"));
        default -> new StreamEvent.Ignored(event);
      };
    if (!o.containsKey("data")) return new StreamEvent.Ignored("no data");
    String channel = Frames.text(Frames.object(o, "arg"), "channel");
    if (!channel.equals("trades")) return new StreamEvent.Ignored(channel);
    List<Trade> out = new ArrayList<>();
    for (JsonObject t : Frames.objects(o, "data")) out.add(trade(t));
    return StreamEvent.ofTrades(out);
  }

  private static Trade trade(JsonObject t) {
    long last = Frames.integer(t, "tradeId");
    long count = t.containsKey("count") ? Frames.integer(t, "count") : 1;
    if (count < 1 || count > last + 1)
      throw new FrameException("field 'count' out of range: " + count);
    return new Trade(
        SOURCE,
        Frames.text(t, "instId"),
        Frames.positive(t, "px"),
        Frames.positive(t, "sz"),
        Frames.integer(t, "ts"),
        Long.toString(last),
        last - count + 1,
        last,
        Frames.side(t, "side"),
        false);
  }

  private static String argument(JsonObject o) {
    JsonObject arg = o.getJsonObject("arg", new JsonObject());
    return arg.getValue("channel") + " " + arg.getValue("instId");
  }
}
