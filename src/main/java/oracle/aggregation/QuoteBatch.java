package oracle.aggregation;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;

/**
 * One tick's worth of quotes, sent from polling to aggregation on {@code Addresses.QUOTES}. Both
 * run in the leader's process, so it travels as a Java object through a local-only codec (no JSON
 * copy of thousands of quotes per second).
 *
 * @param tickMs the tick's wall-clock time: the candle minute and the staleness reference
 * @param startedNanos {@link System#nanoTime()} at tick start, for the ingestion-duration timer
 * @param collectedNanos {@link System#nanoTime()} when every source had answered or timed out
 * @param quotes every source's freshest quote per symbol (including conversion-rate pairs)
 * @param unavailable source → why it was not asked ({@code BREAKER_OPEN}, {@code RATE_LIMITED}) for
 *     sources not asked
 * @param listings source → symbols it lists, so an unavailable source is reported only where it
 *     counts
 */
public record QuoteBatch(
    long tickMs,
    long startedNanos,
    long collectedNanos,
    List<Quote> quotes,
    Map<String, DropReason> unavailable,
    Map<String, java.util.Set<String>> listings) {

  /** Registers the local codec once per Vert.x instance ({@link IngestionCodecs}). */
  static synchronized void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(QuoteBatch.class, new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  private static final class LocalCodec implements MessageCodec<QuoteBatch, QuoteBatch> {
    @Override
    public void encodeToWire(Buffer buffer, QuoteBatch b) {
      throw new UnsupportedOperationException("QuoteBatch is local-only");
    }

    @Override
    public QuoteBatch decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("QuoteBatch is local-only");
    }

    @Override
    public QuoteBatch transform(QuoteBatch b) {
      return b; // immutable
    }

    @Override
    public String name() {
      return "oracle.quote-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
