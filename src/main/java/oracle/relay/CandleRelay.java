package oracle.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries candle updates from the leader to every instance through Redis pub/sub ({@link
 * RedisKeys#CANDLE_CHANNEL}). The leader publishes one message per tick, {@code {origin, candles:
 * [...]}}; every instance's subscriber republishes each candle on its local event bus at {@code
 * oracle.candle.1m.<symbol>}. The origin instance skips its own message (it already published
 * locally). The subscriber keeps a dedicated connection and re-subscribes after the connection
 * drops.
 */
public final class CandleRelay {
  private static final Logger log = LoggerFactory.getLogger(CandleRelay.class);
  private static final long RECONNECT_MS = 1_000;

  private final Vertx vertx;
  private final String redisUrl;
  private final String instanceId;
  private Redis client;
  private RedisConnection connection;
  private boolean stopped;

  public CandleRelay(Vertx vertx, String redisUrl, String instanceId) {
    this.vertx = vertx;
    this.redisUrl = redisUrl;
    this.instanceId = instanceId;
  }

  /** The PUBLISH of one tick's candles, for the leader's client. */
  public static Request publishRequest(String origin, List<Candle> candles) {
    JsonArray arr = new JsonArray();
    candles.forEach(c -> arr.add(c.toJson()));
    return Request.cmd(Command.PUBLISH)
        .arg(RedisKeys.CANDLE_CHANNEL)
        .arg(new JsonObject().put("origin", origin).put("candles", arr).encode());
  }

  /**
   * The same with each candle's JSON as published locally (with its price status and confidence).
   */
  public static Request publishJsonRequest(String origin, List<JsonObject> candles) {
    return Request.cmd(Command.PUBLISH)
        .arg(RedisKeys.CANDLE_CHANNEL)
        .arg(
            new JsonObject()
                .put("origin", origin)
                .put("candles", new JsonArray(new java.util.ArrayList<>(candles)))
                .encode());
  }

  /**
   * The same as {@link #publishJsonRequest} (byte for byte), from each candle's JSON already
   * encoded: the leader writes 10,000 of them a tick and encodes each once.
   */
  public static Request publishEncodedRequest(String origin, List<String> candleJsons) {
    java.io.StringWriter out = new java.io.StringWriter(64 + 256 * candleJsons.size());
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("origin", origin);
      g.writeFieldName("candles");
      g.writeStartArray();
      for (String c : candleJsons) g.writeRawValue(c);
      g.writeEndArray();
      g.writeEndObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Request.cmd(Command.PUBLISH).arg(RedisKeys.CANDLE_CHANNEL).arg(out.toString());
  }

  /**
   * Subscribes; completes once subscribed (or, when Redis is down, at once, retrying in the
   * background).
   */
  public Future<Void> start() {
    client = oracle.common.RedisFactory.createSingle(vertx, redisUrl);
    return subscribe()
        .recover(
            err -> {
              log.warn("candle relay cannot subscribe yet: {}", err.getMessage());
              scheduleReconnect();
              return Future.succeededFuture();
            });
  }

  public Future<Void> stop() {
    stopped = true;
    Future<Void> closing =
        connection == null
            ? Future.succeededFuture()
            : connection.close().recover(e -> Future.succeededFuture());
    return closing.eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }

  private Future<Void> subscribe() {
    return client
        .connect()
        .compose(
            conn -> {
              connection = conn;
              conn.handler(this::onMessage);
              conn.exceptionHandler(
                  err -> log.warn("candle relay connection error: {}", err.getMessage()));
              conn.endHandler(
                  v -> {
                    connection = null;
                    if (!stopped) {
                      log.warn("candle relay connection closed; re-subscribing");
                      scheduleReconnect();
                    }
                  });
              return conn.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.CANDLE_CHANNEL))
                  .mapEmpty();
            });
  }

  private void scheduleReconnect() {
    if (stopped) return;
    vertx.setTimer(
        RECONNECT_MS,
        id -> {
          if (stopped || connection != null) return;
          subscribe().onFailure(err -> scheduleReconnect());
        });
  }

  private static final com.fasterxml.jackson.core.JsonFactory JSON =
      new com.fasterxml.jackson.core.JsonFactory();

  /**
   * The message's {@code origin}, read up to that member only (the publisher writes it first); null
   * when it has none or is not a JSON object (the full parse then judges it).
   */
  static String originOf(io.vertx.core.buffer.Buffer message) {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(message.getBytes())) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return null;
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken value = p.nextToken();
        if (field.equals("origin"))
          return value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
        p.skipChildren();
      }
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private void onMessage(Response msg) {
    if (msg == null || msg.size() < 3 || !"message".equals(msg.get(0).toString())) return;
    try {
      io.vertx.core.buffer.Buffer bytes = msg.get(2).toBuffer();
      // The leader hears its own tick (10,000 candles, megabytes): skip it without parsing it.
      if (instanceId.equals(originOf(bytes))) return;
      JsonObject body = new JsonObject(bytes);
      if (instanceId.equals(body.getString("origin"))) return;
      JsonArray candles = body.getJsonArray("candles", new JsonArray());
      for (int i = 0; i < candles.size(); i++) {
        JsonObject c = candles.getJsonObject(i);
        vertx.eventBus().publish(Addresses.candle(c.getString("symbol")), c);
      }
    } catch (RuntimeException e) {
      log.warn("ignoring malformed candle relay message: {}", e.getMessage());
    }
  }
}
