package oracle.exchange.coinbase;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * Coinbase Exchange's feed ({@code /}) on the fake: {@code subscribe} to {@code matches} (channel
 * objects or the older top-level {@code product_ids}), answered by a {@code last_match} per product
 * that has traded, then the {@code subscriptions} ack; {@code match} messages with contiguous
 * {@code trade_id} and the MAKER's {@code side}; the {@code heartbeat} channel once a second.
 */
final class CoinbaseFakeStream implements FakeStream {
  private final FakeMarkets view;
  private final AtomicLong sequence = new AtomicLong(50_000_000_000L);

  CoinbaseFakeStream(FakeMarkets view) {
    this.view = view;
  }

  @Override
  public String path() {
    return "/";
  }

  @Override
  public void onMessage(Session session, String message) {
    JsonObject request;
    try {
      request = new JsonObject(message);
    } catch (RuntimeException e) {
      session.send(error("Failed to subscribe", "malformed JSON"));
      return;
    }
    if (!"subscribe".equals(request.getValue("type"))) {
      session.send(error("Failed to subscribe", "type is not subscribe"));
      return;
    }
    List<String> matches = new ArrayList<>();
    List<String> heartbeats = new ArrayList<>();
    List<String> top = strings(request.getValue("product_ids"));
    if (request.getValue("channels") instanceof JsonArray channels) {
      for (Object c : channels) {
        if (c instanceof String name) into(name, top, matches, heartbeats);
        else if (c instanceof JsonObject ch)
          into(
              ch.getString("name", ""),
              ch.containsKey("product_ids") ? strings(ch.getValue("product_ids")) : top,
              matches,
              heartbeats);
      }
    }
    for (String id : concat(matches, heartbeats)) {
      if (!view.markets().containsKey(id)) {
        session.send(error("Failed to subscribe", id + " is not a valid product"));
        return;
      }
    }
    for (String id : matches) {
      session.subscribe(id, id);
      FakeMarkets.Trade last = session.last(id);
      if (last != null) session.send(match("last_match", last));
    }
    for (String id : heartbeats)
      session.every(
          1_000,
          () -> {
            FakeMarkets.Trade last = session.last(id);
            return new JsonObject()
                .put("type", "heartbeat")
                .put("last_trade_id", last == null ? 0 : last.seq())
                .put("product_id", id)
                .put("sequence", sequence.incrementAndGet())
                .put("time", Instant.now().toString())
                .encode();
          });
    JsonArray ack = new JsonArray();
    if (!matches.isEmpty())
      ack.add(new JsonObject().put("name", "matches").put("product_ids", new JsonArray(matches)));
    if (!heartbeats.isEmpty())
      ack.add(
          new JsonObject().put("name", "heartbeat").put("product_ids", new JsonArray(heartbeats)));
    session.send(new JsonObject().put("type", "subscriptions").put("channels", ack).encode());
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    return match("match", t);
  }

  private String match(String type, FakeMarkets.Trade t) {
    return new JsonObject()
        .put("type", type)
        .put("trade_id", t.seq())
        .put("maker_order_id", UUID.randomUUID().toString())
        .put("taker_order_id", UUID.randomUUID().toString())
        .put("side", t.takerBuy() ? "sell" : "buy") // the maker's side
        .put("size", FakeMarkets.decimal(t.size()))
        .put("price", FakeMarkets.decimal(t.price()))
        .put("product_id", t.market())
        .put("sequence", sequence.incrementAndGet())
        .put("time", Instant.ofEpochMilli(t.timeMs()).toString())
        .encode();
  }

  private static void into(
      String channel, List<String> ids, List<String> matches, List<String> heartbeats) {
    if (channel.equals("matches")) matches.addAll(ids);
    else if (channel.equals("heartbeat")) heartbeats.addAll(ids);
  }

  private static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) for (Object o : a) out.add(String.valueOf(o));
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String error(String message, String reason) {
    return new JsonObject()
        .put("type", "error")
        .put("message", message)
        .put("reason", reason)
        .encode();
  }
}
