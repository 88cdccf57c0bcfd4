package oracle.aggregation;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * An event-bus body that becomes its {@link JsonObject} only when a consumer receives it: the codec
 * builds one per delivery, as the JsonObject codec copies one per delivery. With 10,000 symbols a
 * tick and a handful of subscribed ones, the other symbols' JSON is never built. Consumers see a
 * plain {@link JsonObject}, as before.
 */
final class LazyJson {
  private static final String CODEC = "oracle.lazy-json";
  static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(CODEC);

  private final Supplier<JsonObject> make;

  LazyJson(Supplier<JsonObject> make) {
    this.make = make;
  }

  /** Registers the codec once per Vert.x instance. */
  static synchronized void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  private static final class Codec implements MessageCodec<LazyJson, JsonObject> {
    @Override
    public void encodeToWire(Buffer buffer, LazyJson json) {
      Buffer encoded = json.make.get().toBuffer();
      buffer.appendInt(encoded.length()).appendBuffer(encoded);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(LazyJson json) {
      return json.make.get();
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
