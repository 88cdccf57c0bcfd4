package oracle.exchange.binance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import oracle.exchange.stream.Chunks;
import oracle.exchange.stream.FrameException;
import oracle.exchange.stream.Frames;
import oracle.exchange.stream.JsonTradeStream;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;

/**
 * Binance spot {@code <symbol>@trade} over the combined-stream endpoint ({@code /stream}, messages
 * wrapped as {@code {"stream","data"}}), subscribed with {@code SUBSCRIBE} requests. Limits
 * (developers.binance.com, "WebSocket Streams"): at most 1,024 streams per connection and 5
 * incoming messages per second per connection (subscribe requests and pong frames alike); the
 * server pings every 20 s and the client's pong frames (sent by Vert.x) keep the connection. Trade
 * ids {@code t} are contiguous per symbol; {@code m} says the buyer was the maker, so the taker
 * sold. An {@code aggTrade} message is read too (its trades {@code f..l}), though the protocol
 * subscribes {@code @trade}.
 */
public final class BinanceTradeStream extends JsonTradeStream {
  public static final String SOURCE = "binance";

  /** Binance: "A single connection can listen to a maximum of 1024 streams". */
  static final int STREAMS_PER_CONNECTION = 1024;

  /**
   * No documented cap on one request's params; 200 streams keep a request near 4 KB, so a full
   * connection needs 6 requests, paced below.
   */
  static final int STREAMS_PER_SUBSCRIBE = 200;

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://stream.binance.com:9443/stream";
  }

  @Override
  public int marketsPerConnection() {
    return STREAMS_PER_CONNECTION;
  }

  @Override
  public int marketsPerSubscribe() {
    return STREAMS_PER_SUBSCRIBE;
  }

  /** 5 incoming messages per second per connection: one every 250 ms leaves room for pongs. */
  @Override
  public long minSendIntervalMs() {
    return 250;
  }

  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.NONE;
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    List<String> out = new ArrayList<>();
    int id = 1;
    for (List<String> chunk : Chunks.of(Chunks.distinct(marketIds), STREAMS_PER_SUBSCRIBE)) {
      JsonArray params = new JsonArray();
      for (String market : chunk) params.add(market.toLowerCase(Locale.ROOT) + "@trade");
      out.add(
          new JsonObject()
              .put("method", "SUBSCRIBE")
              .put("params", params)
              .put("id", id++)
              .encode());
    }
    return out;
  }

  @Override
  protected StreamEvent read(Object json) {
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    if (o.containsKey("error")) {
      Object error = o.getValue("error");
      String msg = error instanceof JsonObject e ? e.getString("msg", e.encode()) : "" + error;
      return new StreamEvent.SubscribeError(msg);
    }
    if (o.containsKey("result") && o.containsKey("id"))
      return new StreamEvent.Subscribed("request " + o.getValue("id"));
    // Combined stream: {"stream":"btcusdt@trade","data":{...}}; a raw stream sends the data alone.
    JsonObject data = o.containsKey("stream") ? Frames.object(o, "data") : o;
    String event = Frames.optionalText(data, "e");
    if ("trade".equals(event)) return new StreamEvent.Trades(List.of(trade(data)));
    if ("aggTrade".equals(event)) return new StreamEvent.Trades(List.of(aggTrade(data)));
    return new StreamEvent.Ignored(event == null ? "no event type" : event);
  }

  private static Trade trade(JsonObject d) {
    return Trade.sequenced(
        SOURCE,
        Frames.text(d, "s"),
        Frames.positive(d, "p"),
        Frames.positive(d, "q"),
        Frames.integer(d, "T"),
        Frames.integer(d, "t"),
        takerSide(d),
        false);
  }

  private static Trade aggTrade(JsonObject d) {
    long first = Frames.integer(d, "f");
    long last = Frames.integer(d, "l");
    if (last < first) throw new FrameException("field 'l' is before 'f': " + last + " < " + first);
    return new Trade(
        SOURCE,
        Frames.text(d, "s"),
        Frames.positive(d, "p"),
        Frames.positive(d, "q"),
        Frames.integer(d, "T"),
        Long.toString(Frames.integer(d, "a")),
        first,
        last,
        takerSide(d),
        false);
  }

  /** {@code m}: the buyer was the maker, so the taker sold. */
  private static Side takerSide(JsonObject d) {
    return Frames.bool(d, "m") ? Side.SELL : Side.BUY;
  }
}
