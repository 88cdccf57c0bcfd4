package oracle.exchange.upbit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * Upbit's WebSocket ({@code /websocket/v1}) on the fake: every frame binary UTF-8 JSON; one request
 * {@code [{"ticket"},{"type":"trade","codes":[...]},{"format":"DEFAULT"}]} and no ack; unless
 * {@code is_only_realtime}, each code's latest trade first as {@code stream_type: SNAPSHOT}; trades
 * in DEFAULT keys with a unique, non-contiguous {@code sequential_id}; the text {@code PING}
 * answered by {@code {"status":"UP"}}.
 */
final class UpbitFakeStream implements FakeStream {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  @Override
  public String path() {
    return "/websocket/v1";
  }

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public void onMessage(Session session, String message) {
    if (message.equals("PING")) {
      session.send("{\"status\":\"UP\"}");
      return;
    }
    JsonArray request;
    try {
      request = new JsonArray(message);
    } catch (RuntimeException e) {
      session.send(error("WRONG_FORMAT", "the request is not a JSON array"));
      return;
    }
    for (Object part : request) {
      if (!(part instanceof JsonObject o) || !"trade".equals(o.getValue("type"))) continue;
      boolean realtimeOnly =
          Boolean.TRUE.equals(o.getValue("is_only_realtime"))
              || Boolean.TRUE.equals(o.getValue("isOnlyRealtime"));
      if (!(o.getValue("codes") instanceof JsonArray codes)) {
        session.send(error("INVALID_PARAM", "codes is required"));
        return;
      }
      for (Object c : codes) {
        String code = String.valueOf(c);
        if (!session.subscribe(code, code)) continue; // Upbit ignores codes it does not list
        FakeMarkets.Trade last = session.last(code);
        if (!realtimeOnly && last != null) session.send(frame(last, "SNAPSHOT"));
      }
    }
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    return frame(t, "REALTIME");
  }

  private static String frame(FakeMarkets.Trade t, String streamType) {
    Instant at = Instant.ofEpochMilli(t.timeMs());
    return new JsonObject()
        .put("type", "trade")
        .put("code", t.market())
        .put("timestamp", System.currentTimeMillis())
        .put("trade_date", DATE.format(at))
        .put("trade_time", TIME.format(at))
        .put("trade_timestamp", t.timeMs())
        .put("trade_price", t.price())
        .put("trade_volume", t.size())
        .put("ask_bid", t.takerBuy() ? "BID" : "ASK")
        .put("prev_closing_price", t.price())
        .put("change", "EVEN")
        .put("change_price", 0.0)
        .put("sequential_id", t.timeMs() * 1000 + t.seq() % 1000)
        .put("stream_type", streamType)
        .encode();
  }

  private static String error(String name, String message) {
    return new JsonObject()
        .put("error", new JsonObject().put("name", name).put("message", message))
        .encode();
  }
}
