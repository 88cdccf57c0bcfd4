package oracle.common;

/**
 * Every event-bus address of the oracle, in one place.
 *
 * <ul>
 *   <li>{@link #LEADER_ELECTED} / {@link #LEADER_REVOKED}: published by the leader verticle, body
 *       {@code {instanceId, fencingToken}}. Only these start and stop the leader-only timers
 *       (ingestion, flush, backfill).
 *   <li>{@link #LEADER_STATUS}: request/reply; answers {@code {instanceId, leader, fencingToken}}
 *       so a verticle deployed (or redeployed) after an election learns the current state.
 *   <li>{@link #QUOTES}: polling → aggregation, one message per tick with every source's quotes.
 *   <li>{@link #CANDLE_PREFIX}{@code <symbol>}: each updated 1-minute candle, published on every
 *       instance (relayed through Redis pub/sub from the leader).
 *   <li>{@link #PRICE_PREFIX}{@code <symbol>}: the latest aggregated price with its sources.
 *   <li>{@link #POLLING_STATUS}, {@link #FLUSH_STATUS}: request/reply for the health endpoint.
 *   <li>{@link #BACKFILL_START}: request/reply to the backfill verticle, body {@code {symbol, from,
 *       to}} (Unix seconds); replies {@code {id}}, or fails 503 when this instance is not the
 *       leader.
 *   <li>{@link #BACKFILL_JOB}: request/reply, body {@code {id}}; replies the job's progress JSON,
 *       or fails 404.
 *   <li>{@link #INGESTION_TICK}: published (locally, by the leader) after each tick's candles are
 *       in Redis, body {@code {tickMs, durationMs, collectMs, aggregateMs, redisMs, symbols,
 *       updated}}; for benchmarks and diagnostics.
 * </ul>
 */
public final class Addresses {
  private Addresses() {}

  public static final String LEADER_ELECTED = "oracle.leader.elected";
  public static final String LEADER_REVOKED = "oracle.leader.revoked";
  public static final String LEADER_STATUS = "oracle.leader.status";

  /**
   * Request/reply {@code {floor}} to the leader verticle: a writer found the database's fencing
   * token above ours, so a newer term exists and the leader steps down (publishing {@link
   * #LEADER_REVOKED}); answers {@code {steppedDown, fencingToken}}.
   */
  public static final String LEADER_FENCING_FLOOR = "oracle.leader.fencing-floor";

  public static final String QUOTES = "oracle.ingestion.quotes";
  public static final String CANDLE_PREFIX = "oracle.candle.1m.";
  public static final String PRICE_PREFIX = "oracle.price.";

  /**
   * Local only: polling → aggregation, one {@code oracle.exchange.stream.ClosedMinutes} per minute
   * once the minute and {@code flush.graceMs} have passed (the stream-enabled sources' finished
   * minutes, for the close-out), sent only while leading.
   */
  public static final String MINUTES_CLOSED = "oracle.ingestion.minutes-closed";

  public static final String POLLING_STATUS = "oracle.polling.status";
  public static final String FLUSH_STATUS = "oracle.flush.status";

  /**
   * Request/reply, body {@code {exchange, symbol, from, to}} (Unix seconds): historical 1-minute
   * klines fetched by the polling verticle through that exchange's breaker and rate limit; replies
   * a JSON array.
   */
  public static final String POLLING_KLINES = "oracle.polling.klines";

  public static final String INGESTION_TICK = "oracle.ingestion.tick";

  /**
   * Request/reply, answered by the deployment: {@code {verticles:[{name, deploymentId, instances,
   * since, configDigest}]}}.
   */
  public static final String ADMIN_VERTICLES = "oracle.admin.verticles";

  /**
   * Request/reply, body {@code {name}}: redeploys one verticle; replies {@code {name,
   * deploymentId}}, fails 404 when unknown.
   */
  public static final String ADMIN_REDEPLOY = "oracle.admin.redeploy";

  /**
   * Send, body {@code {symbol, from, to}}: starts a backfill job on the leader; replies {@code
   * {id}}.
   */
  public static final String BACKFILL_START = "oracle.backfill.start";

  /** Request/reply, body {@code {id}}: a backfill job's progress. */
  public static final String BACKFILL_JOB = "oracle.backfill.job";

  public static String candle(String symbol) {
    return CANDLE_PREFIX + symbol;
  }

  public static String price(String symbol) {
    return PRICE_PREFIX + symbol;
  }
}
