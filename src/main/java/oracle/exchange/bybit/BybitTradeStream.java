package oracle.exchange.bybit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.stream.Chunks;
import oracle.exchange.stream.Frames;
import oracle.exchange.stream.JsonTradeStream;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;

/**
 * Bybit v5 spot {@code publicTrade.<SYMBOL>} ({@code wss://stream.bybit.com/v5/public/spot}).
 * Limits (bybit-exchange.github.io, v5 "WebSocket Connect"): spot takes at most 10 args per
 * subscribe request; the client sends {@code {"op":"ping"}} every 20 s to keep the connection.
 * Bybit calls every trade push {@code "type":"snapshot"}: it is no replay. The trade id {@code i}
 * is a string (numeric on spot, a UUID elsewhere) and not contiguous: no gap is read from it.
 * {@code S} is the taker's side.
 */
public final class BybitTradeStream extends JsonTradeStream {
  public static final String SOURCE = "bybit";

  /**
   * No documented cap on topics per connection; 200 (20 requests) keep one connection's loss
   * bounded.
   */
  static final int SYMBOLS_PER_CONNECTION = 200;

  /**
   * Bybit v5: "Spot can input up to 10 args for each subscription request sent to one connection".
   */
  static final int ARGS_PER_SUBSCRIBE = 10;

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://stream.bybit.com/v5/public/spot";
  }

  @Override
  public int marketsPerConnection() {
    return SYMBOLS_PER_CONNECTION;
  }

  @Override
  public int marketsPerSubscribe() {
    return ARGS_PER_SUBSCRIBE;
  }

  @Override
  public long minSendIntervalMs() {
    return 100;
  }

  /** Bybit: "we recommend sending the ping heartbeat packet every 20 seconds". */
  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.text(new JsonObject().put("op", "ping").encode(), 20_000);
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    List<String> out = new ArrayList<>();
    for (List<String> chunk : Chunks.of(Chunks.distinct(marketIds), ARGS_PER_SUBSCRIBE)) {
      JsonArray args = new JsonArray();
      for (String symbol : chunk) args.add("publicTrade." + symbol);
      out.add(new JsonObject().put("op", "subscribe").put("args", args).encode());
    }
    return out;
  }

  @Override
  protected StreamEvent read(Object json) {
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    if (o.containsKey("op")) return operation(o, Frames.text(o, "op"));
    String topic = Frames.optionalText(o, "topic");
    if (topic == null) return new StreamEvent.Ignored("no topic");
    if (!topic.startsWith("publicTrade.")) return new StreamEvent.Ignored(topic);
    List<Trade> out = new ArrayList<>();
    for (JsonObject t : Frames.objects(o, "data"))
      out.add(
          Trade.unsequenced(
              SOURCE,
              Frames.text(t, "s"),
              Frames.positive(t, "p"),
              Frames.positive(t, "v"),
              Frames.integer(t, "T"),
              Frames.text(t, "i"),
              Frames.side(t, "S"),
              false));
    return StreamEvent.ofTrades(out);
  }

  /** Answers to the client's requests: spot answers a ping with {@code "op":"ping"}. */
  private static StreamEvent operation(JsonObject o, String op) {
    boolean success = !(o.getValue("success") instanceof Boolean b) || b;
    return switch (op) {
      case "ping", "pong" -> new StreamEvent.Pong();
      case "subscribe" ->
          success
              ? new StreamEvent.Subscribed("request " + o.getValue("req_id"))
              : new StreamEvent.SubscribeError(String.valueOf(o.getValue("ret_msg")));
      default -> new StreamEvent.Ignored(op);
    };
  }
}
