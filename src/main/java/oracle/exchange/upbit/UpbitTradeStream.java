package oracle.exchange.upbit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.stream.Chunks;
import oracle.exchange.stream.FrameException;
import oracle.exchange.stream.Frames;
import oracle.exchange.stream.JsonTradeStream;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;

/**
 * Upbit's {@code trade} type ({@code wss://api.upbit.com/websocket/v1}): binary frames of UTF-8
 * JSON, in DEFAULT keys ({@code trade_price}) or SIMPLE ones ({@code tp}); both are read. Limits
 * (docs.upbit.com, "Rate Limits"): 5 connection requests per second per IP; 5 data requests per
 * second and 100 per minute per connection, so each connection gets one request carrying all its
 * codes. Upbit sends no subscribe ack; it closes a connection idle for 120 s, and answers the text
 * {@code PING} with {@code {"status":"UP"}}. {@code stream_type: SNAPSHOT} trades are a replay
 * (asked away with {@code is_only_realtime}); {@code sequential_id} is unique but not contiguous.
 * {@code ask_bid} is the taker's side ({@code ASK}: the taker sold).
 */
public final class UpbitTradeStream extends JsonTradeStream {
  public static final String SOURCE = "upbit";

  /**
   * No documented cap on codes per request or connection; 300 keep one connection's loss bounded
   * (Upbit lists under 800 markets).
   */
  static final int CODES_PER_CONNECTION = 300;

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://api.upbit.com/websocket/v1";
  }

  @Override
  public int marketsPerConnection() {
    return CODES_PER_CONNECTION;
  }

  /** One request per connection carries all its codes. */
  @Override
  public int marketsPerSubscribe() {
    return CODES_PER_CONNECTION;
  }

  /** 5 data requests a second per connection. */
  @Override
  public long minSendIntervalMs() {
    return 250;
  }

  /** A PING every 60 s, inside the 120 s Upbit waits before closing an idle connection. */
  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.text("PING", 60_000);
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    if (marketIds.isEmpty()) return List.of();
    List<String> codes = Chunks.distinct(marketIds);
    if (codes.size() > CODES_PER_CONNECTION)
      throw new IllegalArgumentException(
          "one Upbit connection carries at most "
              + CODES_PER_CONNECTION
              + " codes: "
              + codes.size());
    JsonArray request =
        new JsonArray()
            .add(new JsonObject().put("ticket", "oracle-trades"))
            .add(
                new JsonObject()
                    .put("type", "trade")
                    .put("codes", new JsonArray(new ArrayList<Object>(codes)))
                    .put("is_only_realtime", true))
            .add(new JsonObject().put("format", "DEFAULT"));
    return List.of(request.encode());
  }

  @Override
  protected StreamEvent read(Object json) {
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    if (o.containsKey("status")) return new StreamEvent.Pong();
    if (o.getValue("error") instanceof JsonObject error)
      return new StreamEvent.SubscribeError(
          error.getValue("name") + ": " + error.getValue("message"));
    boolean simple = o.containsKey("ty");
    String type = Frames.optionalText(o, simple ? "ty" : "type");
    if (type == null) return new StreamEvent.Ignored("no type");
    if (!type.equals("trade")) return new StreamEvent.Ignored(type);
    return new StreamEvent.Trades(List.of(simple ? trade(o, SIMPLE) : trade(o, DEFAULT)));
  }

  /** The field names of one format. */
  private record Keys(
      String code,
      String price,
      String volume,
      String time,
      String askBid,
      String id,
      String stream) {}

  private static final Keys DEFAULT =
      new Keys(
          "code",
          "trade_price",
          "trade_volume",
          "trade_timestamp",
          "ask_bid",
          "sequential_id",
          "stream_type");
  private static final Keys SIMPLE = new Keys("cd", "tp", "tv", "ttms", "ab", "sid", "st");

  private static Trade trade(JsonObject o, Keys k) {
    String askBid = Frames.text(o, k.askBid());
    Side side =
        switch (askBid) {
          case "ASK" -> Side.SELL;
          case "BID" -> Side.BUY;
          default ->
              throw new FrameException("field '" + k.askBid() + "' is not ASK or BID: " + askBid);
        };
    String stream = Frames.optionalText(o, k.stream());
    return Trade.unsequenced(
        SOURCE,
        Frames.text(o, k.code()),
        Frames.positive(o, k.price()),
        Frames.positive(o, k.volume()),
        Frames.integer(o, k.time()),
        Long.toString(Frames.integer(o, k.id())),
        side,
        "SNAPSHOT".equals(stream));
  }
}
