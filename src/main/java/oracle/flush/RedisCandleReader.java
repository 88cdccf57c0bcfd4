package oracle.flush;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oracle.common.LuaScript;
import oracle.common.OffLoop;
import oracle.common.RedisKeys;
import oracle.storage.CandleRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the candles not yet in the database: {@code SCAN} over {@code oracle:candle:*}, then {@code
 * lua/read_unflushed.lua} over batches of keys, which returns only the unflushed ones (most keys
 * are flushed minutes kept for their TTL; they are filtered inside Redis and never sent). A hash
 * that cannot be parsed is logged and left alone (never deleted, never marked) so nothing is lost.
 */
final class RedisCandleReader {
  private static final Logger log = LoggerFactory.getLogger(RedisCandleReader.class);
  private static final int SCAN_COUNT = 10_000;

  /**
   * Keys per script call: large enough to amortise the call, small enough not to stall Redis (~1
   * ms).
   */
  private static final int KEYS_PER_CALL = 500;

  private static final int FIELDS =
      11; // index + the 10 values read_unflushed.lua returns per candle

  /** Keys read concurrently before checking the cap: bounds how far a capped pass reads past it. */
  private static final int WINDOW = 20 * KEYS_PER_CALL;

  /** From this many keys, de-duplicating and ordering them runs on a worker thread. */
  private static final int OFF_LOOP_KEYS = 50_000;

  private final Redis redis;
  private final LuaScript readUnflushed = LuaScript.load("read_unflushed");

  RedisCandleReader(Redis redis) {
    this.redis = redis;
  }

  /** The unflushed candles found, at most the cap; {@code more} when the cap stopped the read. */
  record Read(List<PendingCandle> candles, boolean more) {}

  /**
   * At most {@code max} unflushed candles. When the keys outnumber the cap they are read oldest
   * minute first, so a backlog is written in time order and the open minute comes last.
   */
  Future<Read> readUnflushed(int max) {
    long started = System.nanoTime();
    return scan("0", new ArrayList<>())
        .compose(found -> OffLoop.compute(found.size(), OFF_LOOP_KEYS, () -> ordered(found, max)))
        .compose(
            keys -> {
              long scanned = System.nanoTime();
              return read(keys, 0, max, new ArrayList<>())
                  .onSuccess(
                      r ->
                          log.debug(
                              "read {} keys: SCAN {} ms, read {} ms, {} unflushed{}",
                              keys.size(),
                              (scanned - started) / 1_000_000,
                              (System.nanoTime() - scanned) / 1_000_000,
                              r.candles().size(),
                              r.more() ? " (cap reached)" : ""));
            });
  }

  /** SCAN may return a key twice: each once, and oldest minute first when a cap may apply. */
  private static List<String> ordered(List<String> found, int max) {
    List<String> keys = new ArrayList<>(new java.util.LinkedHashSet<>(found));
    if (keys.size() <= max) return keys;
    record Dated(long minute, String key) {}
    List<Dated> dated = new ArrayList<>(keys.size());
    for (String k : keys) dated.add(new Dated(minuteOf(k), k));
    dated.sort(java.util.Comparator.comparingLong(Dated::minute));
    return dated.stream().map(Dated::key).toList();
  }

  /**
   * The minute of a candle key; unparsable ones sort first (they are logged and skipped when read).
   */
  private static long minuteOf(String key) {
    try {
      return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /**
   * Reads {@code keys} from {@code from} in windows of concurrent script calls until the cap is
   * reached.
   */
  private Future<Read> read(List<String> keys, int from, int max, List<PendingCandle> out) {
    if (out.size() >= max || from >= keys.size()) {
      boolean more = out.size() > max || (out.size() == max && from < keys.size());
      return Future.succeededFuture(
          new Read(out.size() > max ? List.copyOf(out.subList(0, max)) : out, more));
    }
    // Without a possible cap every call goes out at once (Redis stays busy); with one, window by
    // window.
    int to = keys.size() <= max ? keys.size() : Math.min(keys.size(), from + WINDOW);
    return fetch(keys.subList(from, to))
        .compose(
            batch -> {
              out.addAll(batch);
              return read(keys, to, max, out);
            });
  }

  private Future<List<String>> scan(String cursor, List<String> keys) {
    return redis
        .send(
            Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(RedisKeys.CANDLE_PREFIX + "*")
                .arg("COUNT")
                .arg(SCAN_COUNT))
        .compose(
            r -> {
              for (Response k : r.get(1)) keys.add(k.toString());
              String next = r.get(0).toString();
              return "0".equals(next) ? Future.succeededFuture(keys) : scan(next, keys);
            });
  }

  private Future<List<PendingCandle>> fetch(List<String> unique) {
    List<Future<List<PendingCandle>>> calls = new ArrayList<>();
    for (int i = 0; i < unique.size(); i += KEYS_PER_CALL) {
      List<String> slice = unique.subList(i, Math.min(unique.size(), i + KEYS_PER_CALL));
      calls.add(readUnflushed.eval(redis, slice, List.of()).map(flat -> parseAll(slice, flat)));
    }
    return Future.all(calls)
        .map(
            cf -> {
              List<PendingCandle> all = new ArrayList<>();
              for (int i = 0; i < calls.size(); i++)
                all.addAll(cf.<List<PendingCandle>>resultAt(i));
              return all;
            });
  }

  private static List<PendingCandle> parseAll(List<String> keys, Response flat) {
    List<PendingCandle> out = new ArrayList<>(flat.size() / FIELDS);
    String[] values = new String[FIELDS - 1];
    for (int at = 0; at + FIELDS <= flat.size(); at += FIELDS) {
      String key = keys.get(flat.get(at).toInteger() - 1);
      for (int j = 0; j < values.length; j++) values[j] = flat.get(at + 1 + j).toString();
      PendingCandle p = parse(key, values);
      if (p != null) out.add(p);
    }
    return out;
  }

  /**
   * One unflushed hash as read_unflushed.lua returns it ({@code open, high, low, close, volume,
   * quote_volume, sources, first_tick_at, last_tick_at, updated_at}, '' when missing); null, with a
   * warning, when it is malformed.
   */
  static PendingCandle parse(String key, String[] v) {
    try {
      String rest = key.substring(RedisKeys.CANDLE_PREFIX.length());
      int colon = rest.lastIndexOf(':');
      String symbol = rest.substring(0, colon);
      long minute = Long.parseLong(rest.substring(colon + 1));
      CandleRow row =
          new CandleRow(
              symbol,
              minute,
              Double.parseDouble(v[0]),
              Double.parseDouble(v[1]),
              Double.parseDouble(v[2]),
              Double.parseDouble(v[3]),
              v[4].isBlank() ? 0 : Double.parseDouble(v[4]),
              v[5].isBlank() ? null : Double.valueOf(v[5]),
              v[6].isBlank()
                  ? List.of()
                  : Arrays.stream(v[6].split(","))
                      .map(String::trim)
                      .filter(s -> !s.isEmpty())
                      .toList(),
              v[7].isBlank() ? null : Long.valueOf(v[7]),
              v[8].isBlank() ? null : Long.valueOf(v[8]));
      return new PendingCandle(key, row, v[9]);
    } catch (RuntimeException e) {
      log.warn(
          "skipping malformed candle hash {} ({}): {}", key, e.getMessage(), Arrays.toString(v));
      return null;
    }
  }
}
