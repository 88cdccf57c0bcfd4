package oracle.backfill;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import oracle.common.Addresses;
import oracle.common.BusRequest;

/**
 * The backfill verticle's requests over the event bus: start a job ({@code oracle.backfill.start})
 * and read one ({@code oracle.backfill.job}). Failures carry the verticle's code (503 when this
 * instance does not lead, 404 for an unknown job) as a {@code ReplyException}.
 */
public final class BackfillClient {
  private static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public BackfillClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Queues a job filling {@code symbol}'s missing minutes in [from, to]; answers its id. */
  public Future<String> start(String symbol, long from, long to) {
    JsonObject body = new JsonObject().put("symbol", symbol).put("from", from).put("to", to);
    return BusRequest.<JsonObject>send(vertx, Addresses.BACKFILL_START, body, TIMEOUT_MS)
        .map(reply -> reply.getString("id"));
  }

  /** The job's progress document. */
  public Future<JsonObject> job(String id) {
    return BusRequest.send(
        vertx, Addresses.BACKFILL_JOB, new JsonObject().put("id", id), TIMEOUT_MS);
  }
}
