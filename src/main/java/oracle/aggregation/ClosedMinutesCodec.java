package oracle.aggregation;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import oracle.exchange.stream.ClosedMinutes;

/**
 * {@link ClosedMinutes} travels from polling to aggregation in the leader's process only, as a Java
 * object (immutable: lists and sets copied on construction), like {@link QuoteBatch}.
 */
final class ClosedMinutesCodec implements MessageCodec<ClosedMinutes, ClosedMinutes> {

  /** Registers the local codec once per Vert.x instance ({@link IngestionCodecs}). */
  static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(ClosedMinutes.class, new ClosedMinutesCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, ClosedMinutes m) {
    throw new UnsupportedOperationException("ClosedMinutes is local-only");
  }

  @Override
  public ClosedMinutes decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("ClosedMinutes is local-only");
  }

  @Override
  public ClosedMinutes transform(ClosedMinutes m) {
    return m;
  }

  @Override
  public String name() {
    return "oracle.closed-minutes";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
