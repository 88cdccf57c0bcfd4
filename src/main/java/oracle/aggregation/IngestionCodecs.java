package oracle.aggregation;

import io.vertx.core.Vertx;

/**
 * The event-bus codecs of the ingestion path ({@link QuoteBatch} from polling to aggregation, and
 * the streams' finished minutes ({@code ClosedMinutes}, polling to aggregation), and the {@link
 * LazyJson} bodies of the candle and price events), registered once by the deployment root before
 * any verticle starts. Registering again on the same Vert.x instance does nothing, so a second
 * deployment in one process (tests run several) is harmless.
 */
public final class IngestionCodecs {
  private IngestionCodecs() {}

  public static void register(Vertx vertx) {
    QuoteBatch.registerCodec(vertx);
    ClosedMinutesCodec.register(vertx);
    LazyJson.registerCodec(vertx);
  }
}
