package oracle.hotstore;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import oracle.common.LuaScript;
import oracle.common.OffLoop;
import oracle.storage.CandleRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the candles not yet in the database. Usually from the dirty set {@code oracle:flush:dirty}
 * that {@code lua/update_candle.lua} keeps in the same atomic step as every candle change ({@code
 * SSCAN}), so a pass touches only what changed; as a safety net by a full {@code SCAN} over {@code
 * oracle:candle:*} (see {@link #listKeys}). Then {@code lua/read_unflushed.lua} over batches of
 * keys returns only the unflushed ones (flushed minutes kept for their TTL are filtered inside
 * Redis and never sent). A hash that cannot be parsed is logged and left alone (never deleted,
 * never marked) so nothing is lost.
 *
 * <p>The set is trusted only while it holds the member {@link #COMPLETE}: a full scan adds it
 * before scanning (and adds every unflushed candle it finds), so a set that was lost (deleted,
 * evicted, a Redis restored without it) no longer has it, and the next pass scans everything again.
 */
public final class UnflushedReader {
  private static final Logger log = LoggerFactory.getLogger(UnflushedReader.class);
  private static final int SCAN_COUNT = 10_000;

  /** The dirty set's member (never a candle key) that says the set is complete. */
  public static final String COMPLETE = "~complete";

  /**
   * Keys per script call: large enough to amortise the call, small enough not to stall Redis (~1
   * ms).
   */
  static final int KEYS_PER_CALL = 500;

  /** Keys read concurrently before checking the cap: bounds how far a capped pass reads past it. */
  private static final int WINDOW = 20 * KEYS_PER_CALL;

  /** From this many keys in a script call, its reply is parsed on a worker thread. */
  static final int OFF_LOOP_PARSE = 100;

  /** From this many keys, de-duplicating and ordering them runs on a worker thread. */
  private static final int OFF_LOOP_KEYS = 50_000;

  private final Redis redis;
  private final LuaScript readUnflushed = LuaScript.load("read_unflushed");

  public UnflushedReader(Redis redis) {
    this.redis = redis;
  }

  /**
   * The candle keys a pass must look at, each once.
   *
   * @param fullScan the keys came from a full SCAN (the dirty set was not asked, or was found
   *     incomplete)
   */
  public record Keys(List<String> keys, boolean fullScan) {}

  /** The unflushed candles found, at most the cap; {@code more} when the cap stopped the read. */
  public record Read(List<PendingCandle> candles, boolean more) {}

  /**
   * The members of the dirty set, or, when {@code fullScan} is asked or the set is not known
   * complete, every candle key by SCAN (the set is marked complete first, so every change from then
   * on is in it).
   */
  public Future<Keys> listKeys(boolean fullScan) {
    if (fullScan) return scanAll();
    return redis
        .batch(
            List.of(Request.cmd(Command.SISMEMBER).arg(CandleKeys.DIRTY).arg(COMPLETE), sscan("0")))
        .compose(
            r -> {
              if (r.get(0).toInteger() != 1) {
                log.info("the dirty set {} is not complete: scanning every key", CandleKeys.DIRTY);
                return scanAll();
              }
              List<String> keys = new ArrayList<>();
              return members(r.get(1), keys).map(found -> new Keys(found, false));
            })
        .compose(k -> OffLoop.compute(k.keys().size(), OFF_LOOP_KEYS, () -> distinct(k)));
  }

  private static Keys distinct(Keys k) {
    return new Keys(new ArrayList<>(new LinkedHashSet<>(k.keys())), k.fullScan());
  }

  private Request sscan(String cursor) {
    return Request.cmd(Command.SSCAN)
        .arg(CandleKeys.DIRTY)
        .arg(cursor)
        .arg("COUNT")
        .arg(SCAN_COUNT);
  }

  private Future<List<String>> members(Response page, List<String> keys) {
    for (Response k : page.get(1)) {
      String key = k.toString();
      if (!COMPLETE.equals(key)) keys.add(key);
    }
    String next = page.get(0).toString();
    return "0".equals(next)
        ? Future.succeededFuture(keys)
        : redis.send(sscan(next)).compose(p -> members(p, keys));
  }

  /** Marks the set complete, then SCANs: a key changed after the mark is in the set anyway. */
  private Future<Keys> scanAll() {
    return redis
        .batch(
            List.of(
                Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(COMPLETE), scanRequest("0")))
        .compose(r -> scanned(r.get(1), new ArrayList<>()))
        .map(keys -> new Keys(keys, true));
  }

  private static Request scanRequest(String cursor) {
    return Request.cmd(Command.SCAN)
        .arg(cursor)
        .arg("MATCH")
        .arg(CandleKeys.PREFIX + "*")
        .arg("COUNT")
        .arg(SCAN_COUNT);
  }

  private Future<List<String>> scanned(Response page, List<String> keys) {
    for (Response k : page.get(1)) keys.add(k.toString());
    String next = page.get(0).toString();
    return "0".equals(next)
        ? Future.succeededFuture(keys)
        : redis.send(scanRequest(next)).compose(p -> scanned(p, keys));
  }

  /**
   * The symbol a key groups under (the whole key when it is malformed): a pass never splits a
   * symbol's minutes between groups.
   */
  public static String symbolOf(String key) {
    String symbol = CandleKeys.symbolOf(key);
    return symbol == null ? key : symbol;
  }

  /**
   * At most {@code max} unflushed candles among {@code keys}, oldest minute first, so a backlog is
   * written in time order and the open minute comes last. After a full scan the keys left unread
   * are added to the dirty set, so the passes that follow (which read only the set) find them.
   */
  public Future<Read> readCapped(Keys keys, int max) {
    return OffLoop.compute(keys.keys().size(), OFF_LOOP_KEYS, () -> byMinute(keys.keys()))
        .compose(
            ordered ->
                readWindows(ordered, keys.fullScan(), 0, max, new ArrayList<>())
                    .compose(
                        done ->
                            keys.fullScan() && done.unreadFrom() < ordered.size()
                                ? track(ordered.subList(done.unreadFrom(), ordered.size()))
                                    .map(done.read())
                                : Future.succeededFuture(done.read())));
  }

  /** A capped read, and where the keys it did not read start. */
  private record Windowed(Read read, int unreadFrom) {}

  /** Keys sorted by minute; unparsable ones sort first (they are logged and skipped when read). */
  private static List<String> byMinute(List<String> keys) {
    record Dated(long minute, String key) {}
    List<Dated> dated = new ArrayList<>(keys.size());
    // unparsable keys sort first (they are logged and skipped when read)
    for (String k : keys) dated.add(new Dated(CandleKeys.minuteOf(k), k));
    dated.sort(java.util.Comparator.comparingLong(Dated::minute));
    return dated.stream().map(Dated::key).toList();
  }

  /**
   * Reads {@code keys} from {@code from} in windows of concurrent script calls until the cap is
   * reached.
   */
  private Future<Windowed> readWindows(
      List<String> keys, boolean fullScan, int from, int max, List<PendingCandle> out) {
    if (out.size() >= max || from >= keys.size()) {
      boolean more = out.size() > max || (out.size() == max && from < keys.size());
      return Future.succeededFuture(
          new Windowed(
              new Read(out.size() > max ? List.copyOf(out.subList(0, max)) : out, more), from));
    }
    int to = Math.min(keys.size(), from + WINDOW);
    return read(keys.subList(from, to), fullScan)
        .compose(
            batch -> {
              out.addAll(batch);
              return readWindows(keys, fullScan, to, max, out);
            });
  }

  /** Adds keys to the dirty set (pipelined). */
  private Future<Void> track(List<String> keys) {
    List<Request> adds = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += KEYS_PER_CALL) {
      Request add = Request.cmd(Command.SADD).arg(CandleKeys.DIRTY);
      keys.subList(i, Math.min(keys.size(), i + KEYS_PER_CALL)).forEach(add::arg);
      adds.add(add);
    }
    return redis.batch(adds).mapEmpty();
  }

  /**
   * The unflushed candles among {@code keys}, all script calls sent at once (Redis stays busy).
   * {@code fullScan}: the keys came from a SCAN, and the unflushed ones are added to the dirty set;
   * otherwise they are the set's members, and those found flushed or gone leave it.
   */
  public Future<List<PendingCandle>> read(List<String> keys, boolean fullScan) {
    List<String> mode = List.of(fullScan ? "scan" : "dirty");
    List<Future<List<PendingCandle>>> calls = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += KEYS_PER_CALL) {
      List<String> slice = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_CALL));
      // The reply is parsed on a worker (half the CPU of a large read: splitting, number parsing),
      // so the event loop only moves bytes and the next replies arrive while this one is parsed.
      calls.add(
          readUnflushed
              .eval(redis, slice, mode)
              .compose(
                  flat ->
                      OffLoop.compute(slice.size(), OFF_LOOP_PARSE, () -> parseAll(slice, flat))));
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
    List<PendingCandle> out = new ArrayList<>(flat.size() / 2);
    for (int at = 0; at + 2 <= flat.size(); at += 2) {
      PendingCandle p = parse(keys.get(flat.get(at).toInteger() - 1), flat.get(at + 1).toString());
      if (p != null) out.add(p);
    }
    return out;
  }

  /**
   * One unflushed hash as read_unflushed.lua returns it ({@link CandleHash#unflushed}); null, with
   * a warning, when it or its key is malformed.
   */
  static PendingCandle parse(String key, String joined) {
    try {
      String symbol = CandleKeys.symbolOf(key);
      long minute = CandleKeys.minuteOf(key);
      if (symbol == null || minute == Long.MIN_VALUE)
        throw new IllegalArgumentException("not a candle key");
      CandleHash.Unflushed u = CandleHash.unflushed(joined);
      CandleHash.Prices p = u.prices();
      CandleRow row =
          new CandleRow(
              symbol,
              minute,
              p.open(),
              p.high(),
              p.low(),
              p.close(),
              p.volume(),
              u.quoteVolume(),
              u.sources(),
              u.firstTickAt(),
              u.lastTickAt(),
              u.trades(),
              u.rowOrigin());
      return new PendingCandle(key, row, u.updatedAt());
    } catch (RuntimeException e) {
      log.warn("skipping malformed candle hash {} ({}): {}", key, e.getMessage(), joined);
      return null;
    }
  }
}
