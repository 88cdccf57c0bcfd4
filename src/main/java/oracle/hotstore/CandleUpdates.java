package oracle.hotstore;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Candle;
import oracle.common.LuaScript;
import oracle.common.RedisKeys;

/**
 * The ingestion's candle update ({@code lua/update_candle.lua}): its arguments encoded from typed
 * values, its reply decoded. One request moves the minute's candle and stores the latest-price JSON
 * under the same fencing check; the caller pipelines a tick's requests ({@link #send}).
 */
public final class CandleUpdates {
  private final LuaScript script = LuaScript.load("update_candle");

  /** A minute closed longer ago than this is not rewritten ({@code flush.graceMs}). */
  private final String graceMs;

  public CandleUpdates(long graceMs) {
    this.graceMs = Long.toString(graceMs);
  }

  /** {@code SCRIPT LOAD} (a later {@code NOSCRIPT} reloads it anyway). */
  public Future<Void> register(Redis redis) {
    return script.register(redis);
  }

  /** Sends a tick's requests as one pipeline; one reply per request, in order. */
  public Future<List<Response>> send(Redis redis, List<Request> requests) {
    return script.evalBatch(redis, requests);
  }

  /**
   * An agreed price moves the candle: add each contributing source ({@link Agreed#source}), then
   * take its {@link Agreed#request}.
   *
   * @param volume the minute's traded volume as last reported; NaN when unknown (the stored one is
   *     kept)
   * @param priceJson the latest-price JSON stored at {@code oracle:price:<symbol>}
   */
  public Agreed agreed(
      String symbol,
      long minute,
      String tickMs,
      long token,
      double price,
      double volume,
      String priceJson) {
    return new Agreed(symbol, minute, tickMs, token, price, volume, priceJson);
  }

  /**
   * A tick without an agreed price: the candle stays, the stored latest price is kept and flagged
   * stale with {@code statusTail} (JSON members appended to it).
   */
  public Request withhold(
      String symbol, long minute, String tickMs, long token, String statusTail) {
    return script.request(
        keys(symbol, minute),
        List.of("", "", tickMs, Long.toString(token), statusTail, "", "mode", "withhold"));
  }

  /**
   * The minute's close-out: the candle's open, high, low, close, volume, trades, origin and sources
   * are overwritten with these, and it is flagged final, so the flush REPLACES the stored row with
   * it (no merge) and later ordinary ticks for the minute do not change it. Fenced by {@code token}
   * like every write; not refused by the grace rule (the close-out runs after it by design). The
   * candle is marked dirty and un-flushed, as a late tick does, so the next flush stores it. The
   * latest price ({@code oracle:price:<symbol>}) is not touched. Decode the reply with {@link
   * FinalReply#of}.
   *
   * @param minuteSec the minute's start, Unix seconds
   * @param trades the minute's trade count over all sources; negative when unknown (the field is
   *     removed)
   * @param origin one of {@link Origin#LIVE}, {@link Origin#REPAIRED}, {@link Origin#BACKFILL}
   * @param sources the exchanges the candle was built from
   * @throws IllegalArgumentException when the origin is not one of the three or a number is not
   *     finite
   */
  public Request finalMinute(
      String symbol,
      long minuteSec,
      long token,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      String origin,
      List<String> sources) {
    if (!Origin.valid(origin))
      throw new IllegalArgumentException("origin must be one of " + Origin.ALL + ": " + origin);
    for (double d : new double[] {open, high, low, close, volume})
      if (!Double.isFinite(d))
        throw new IllegalArgumentException(
            "non-finite value in the final candle " + symbol + "@" + minuteSec);
    List<String> args = new ArrayList<>(18);
    args.add(text(close));
    args.add(text(volume));
    args.add(""); // updated_at: the script takes Redis's clock
    args.add(Long.toString(token));
    args.add("");
    args.add(String.join(",", sources));
    args.addAll(List.of("mode", "final", "open", text(open), "high", text(high), "low", text(low)));
    args.add("origin");
    args.add(origin);
    if (trades >= 0) {
      args.add("trades");
      args.add(Long.toString(trades));
    }
    // No price key: the close-out does not touch the latest price.
    return script.request(
        List.of(CandleKeys.candle(symbol, minuteSec), RedisKeys.LEADER_FENCING), args);
  }

  /** What the script answered a {@link #finalMinute} request. */
  public enum FinalReply {
    /** The final candle is in Redis, marked for the flush. */
    WRITTEN,
    /** A newer leader holds the fencing token: nothing was written. */
    FENCED;

    public static FinalReply of(Response r) {
      return r == null || r.type() != ResponseType.NUMBER ? FENCED : WRITTEN;
    }

    public boolean written() {
      return this == WRITTEN;
    }

    public boolean fenced() {
      return this == FENCED;
    }
  }

  /** One agreed update being encoded: the sources, their minute volumes and trade counts. */
  public final class Agreed {
    private final List<String> keys;
    private final List<String> head;
    private final StringBuilder sources = new StringBuilder();
    private final List<String> volumes = new ArrayList<>(8);

    private Agreed(
        String symbol,
        long minute,
        String tickMs,
        long token,
        double price,
        double volume,
        String priceJson) {
      keys = keys(symbol, minute);
      head =
          List.of(
              text(price),
              Double.isFinite(volume) ? text(volume) : "",
              tickMs,
              Long.toString(token),
              priceJson);
    }

    /**
     * A source whose quote made the price; its minute volume goes into its own candle field ({@code
     * vol:<source>}, summed by the script, never down) when it is a finite, non-negative number.
     */
    public Agreed source(String exchange, double minuteVolume) {
      return source(exchange, minuteVolume, -1);
    }

    /**
     * As {@link #source(String, double)}, plus that source's trade count of the minute so far: kept
     * in the candle field {@code trades:<source>} (never lowered), the field {@code trades} being
     * the sum over sources.
     *
     * @param trades negative when unknown (not sent)
     */
    public Agreed source(String exchange, double minuteVolume, long trades) {
      if (sources.length() > 0) sources.append(',');
      sources.append(exchange);
      if (Double.isFinite(minuteVolume) && minuteVolume >= 0) {
        volumes.add("vol:" + exchange);
        volumes.add(text(minuteVolume));
      }
      if (trades >= 0) {
        volumes.add("trades:" + exchange);
        volumes.add(Long.toString(trades));
      }
      return this;
    }

    public Request request() {
      List<String> args = new ArrayList<>(head.size() + volumes.size() + 3);
      args.addAll(head);
      args.add(sources.toString());
      args.addAll(volumes);
      args.add("grace"); // a minute closed longer ago than flush.graceMs is not rewritten
      args.add(graceMs);
      return script.request(keys, args);
    }
  }

  /** What the script answered for one request. */
  public static final class Reply {
    private final Response raw;
    private final Candle candle;

    private Reply(Response raw, Candle candle) {
      this.raw = raw;
      this.candle = candle;
    }

    /**
     * The script's reply: {@code nil} when a newer leader's fencing token refused it, a number when
     * the minute closed more than the grace ago, else {@code open, high, low, close, volume,
     * updated_at} (empty when a withheld minute has no candle), the kept price JSON when withheld
     * (else empty), the trade count and the origin (empty when the candle has none).
     */
    public static Reply of(String symbol, long minute, Response c) {
      if (c == null || c.type() != ResponseType.MULTI) return new Reply(c, null);
      if (c.get(0).toString().isEmpty()) return new Reply(c, null);
      return new Reply(
          c,
          new Candle(
              symbol,
              minute,
              CandleHash.number(c.get(0).toString()),
              CandleHash.number(c.get(1).toString()),
              CandleHash.number(c.get(2).toString()),
              CandleHash.number(c.get(3).toString()),
              CandleHash.number(c.get(4).toString()),
              c.get(5).toLong(),
              0,
              c.size() > 7 && !c.get(7).toString().isEmpty() ? c.get(7).toLong() : null,
              c.size() > 8 && Origin.valid(c.get(8).toString()) ? c.get(8).toString() : null));
    }

    /** A newer leader holds the fencing token: nothing was written. */
    public boolean fenced() {
      return raw == null;
    }

    /** The minute closed longer ago than the grace: the candle was not rewritten. */
    public boolean late() {
      return raw != null && raw.type() != ResponseType.MULTI;
    }

    /** The candle as it stands after the update; null when refused or the minute has none. */
    public Candle candle() {
      return candle;
    }

    /** The latest-price JSON kept by a withheld update ("" when there is none). */
    public String keptPrice() {
      return raw != null && raw.type() == ResponseType.MULTI && raw.size() > 6
          ? raw.get(6).toString()
          : "";
    }
  }

  private static List<String> keys(String symbol, long minute) {
    return List.of(
        CandleKeys.candle(symbol, minute), RedisKeys.LEADER_FENCING, RedisKeys.price(symbol));
  }

  /** A number as the hash stores it (Jackson's shortest round-trip text, as the price JSON). */
  private static String text(double v) {
    return NumberOutput.toString(v, true);
  }
}
