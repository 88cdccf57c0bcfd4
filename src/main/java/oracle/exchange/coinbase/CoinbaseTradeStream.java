package oracle.exchange.coinbase;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.stream.Chunks;
import oracle.exchange.stream.Frames;
import oracle.exchange.stream.JsonTradeStream;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.Side;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;

/**
 * Coinbase Exchange's public feed: the {@code matches} channel, plus {@code heartbeat} for one
 * product of each connection (one message a second that proves the connection alive without costing
 * one per product). Limits (docs.cdp.coinbase.com, "Exchange WebSocket Rate Limits"): 8 requests
 * per second per IP (bursts to 20), 100 client messages per second per IP; no documented cap on
 * products per connection. {@code trade_id} is contiguous per product ({@code sequence} is not: it
 * counts every channel's messages). {@code side} is the MAKER's side: the taker's is its opposite.
 * The {@code last_match} sent on subscribing is a replay.
 */
public final class CoinbaseTradeStream extends JsonTradeStream {
  public static final String SOURCE = "coinbase";

  /**
   * No documented cap; 500 products keep a connection's loss (and its repair) bounded and its
   * subscribe messages few.
   */
  static final int PRODUCTS_PER_CONNECTION = 500;

  /** No documented cap; 100 product ids keep a subscribe message near 1 KB. */
  static final int PRODUCTS_PER_SUBSCRIBE = 100;

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public String defaultUrl() {
    return "wss://ws-feed.exchange.coinbase.com";
  }

  @Override
  public int marketsPerConnection() {
    return PRODUCTS_PER_CONNECTION;
  }

  @Override
  public int marketsPerSubscribe() {
    return PRODUCTS_PER_SUBSCRIBE;
  }

  /** 8 requests per second per IP, shared by every connection: 200 ms each keeps several below. */
  @Override
  public long minSendIntervalMs() {
    return 200;
  }

  /** The heartbeat channel keeps the connection busy; the client sends nothing. */
  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.NONE;
  }

  @Override
  public List<String> subscribeMessages(List<String> marketIds) {
    List<String> out = new ArrayList<>();
    List<List<String>> chunks = Chunks.of(Chunks.distinct(marketIds), PRODUCTS_PER_SUBSCRIBE);
    for (int i = 0; i < chunks.size(); i++) {
      JsonArray channels =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("name", "matches")
                      .put("product_ids", new JsonArray(new ArrayList<Object>(chunks.get(i)))));
      if (i == 0)
        channels.add(
            new JsonObject()
                .put("name", "heartbeat")
                .put("product_ids", new JsonArray().add(chunks.get(0).get(0))));
      out.add(new JsonObject().put("type", "subscribe").put("channels", channels).encode());
    }
    return out;
  }

  @Override
  protected StreamEvent read(Object json) {
    if (!(json instanceof JsonObject o)) return new StreamEvent.Ignored("not an object");
    String type = Frames.text(o, "type");
    return switch (type) {
      case "match" -> new StreamEvent.Trades(List.of(match(o, false)));
      case "last_match" -> new StreamEvent.Trades(List.of(match(o, true)));
      case "heartbeat" -> new StreamEvent.Heartbeat(Frames.optionalText(o, "product_id"));
      case "subscriptions" -> new StreamEvent.Subscribed(subscribed(o));
      case "error" -> new StreamEvent.SubscribeError(error(o));
      default -> new StreamEvent.Ignored(type);
    };
  }

  private static Trade match(JsonObject o, boolean replay) {
    Side maker = Frames.side(o, "side");
    return Trade.sequenced(
        SOURCE,
        Frames.text(o, "product_id"),
        Frames.positive(o, "price"),
        Frames.positive(o, "size"),
        Frames.isoMillis(o, "time"),
        Frames.integer(o, "trade_id"),
        maker == Side.BUY ? Side.SELL : Side.BUY,
        replay);
  }

  /** The channels the ack lists, e.g. {@code matches [BTC-USD, ETH-USD]}. */
  private static String subscribed(JsonObject o) {
    List<String> parts = new ArrayList<>();
    if (o.getValue("channels") instanceof JsonArray channels)
      for (Object c : channels)
        if (c instanceof JsonObject ch)
          parts.add(ch.getString("name") + " " + ch.getValue("product_ids"));
    return String.join("; ", parts);
  }

  private static String error(JsonObject o) {
    String message = Frames.optionalText(o, "message");
    String reason = Frames.optionalText(o, "reason");
    if (message == null) return reason == null ? o.encode() : reason;
    return reason == null ? message : message + ": " + reason;
  }
}
