package oracle.backfill;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One backfill run over one symbol and range, with its progress (read by {@code GET
 * /admin/backfill/{id}}).
 */
public final class BackfillJob {
  public enum State {
    QUEUED,
    RUNNING,
    DONE,
    FAILED
  }

  private final String id = UUID.randomUUID().toString();
  private final String symbol;
  private final long fromSec;
  private final long toSec;
  private final String trigger;
  private final long createdAt = System.currentTimeMillis();
  private volatile State state = State.QUEUED;
  private volatile int missingMinutes;
  private volatile int processedMinutes;
  private volatile int filledMinutes;
  private volatile int repairedMinutes;
  private volatile String error;
  private volatile long finishedAt;

  BackfillJob(String symbol, long fromSec, long toSec, String trigger) {
    this.symbol = symbol;
    this.fromSec = fromSec;
    this.toSec = toSec;
    this.trigger = trigger;
  }

  public String id() {
    return id;
  }

  public String symbol() {
    return symbol;
  }

  public long fromSec() {
    return fromSec;
  }

  public long toSec() {
    return toSec;
  }

  /** {@code auto} (periodic gap scan) or {@code admin} (POST /admin/backfill). */
  public String trigger() {
    return trigger;
  }

  public State state() {
    return state;
  }

  public int filledMinutes() {
    return filledMinutes;
  }

  /** Unclosed live minutes rebuilt from klines (origin repaired). */
  public int repairedMinutes() {
    return repairedMinutes;
  }

  void repaired(int n) {
    repairedMinutes += n;
  }

  public int missingMinutes() {
    return missingMinutes;
  }

  void running(int missing) {
    state = State.RUNNING;
    missingMinutes = missing;
  }

  void progressed(int processed, int filled) {
    processedMinutes += processed;
    filledMinutes += filled;
  }

  void done() {
    state = State.DONE;
    finishedAt = System.currentTimeMillis();
  }

  void failed(String message) {
    state = State.FAILED;
    error = message;
    finishedAt = System.currentTimeMillis();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("symbol", symbol)
        .put("from", fromSec)
        .put("to", toSec)
        .put("trigger", trigger)
        .put("state", state.name().toLowerCase())
        .put("missingMinutes", missingMinutes)
        .put("processedMinutes", processedMinutes)
        .put("filledMinutes", filledMinutes)
        .put("repairedMinutes", repairedMinutes)
        .put(
            "progress",
            missingMinutes == 0
                ? (state == State.DONE ? 1.0 : 0.0)
                : (double) processedMinutes / missingMinutes)
        .put("error", error)
        .put("createdAt", createdAt)
        .put("finishedAt", finishedAt == 0 ? null : finishedAt);
  }
}
