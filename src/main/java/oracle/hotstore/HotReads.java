package oracle.hotstore;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oracle.common.LuaScript;

/**
 * The API's read of the live minutes ({@code lua/read_hot_candles.lua}): the keys of a span of
 * minutes are computed, not scanned, and one script call returns only the candles present, not an
 * HMGET per minute.
 */
public final class HotReads {
  private static final LuaScript SCRIPT = LuaScript.load("read_hot_candles");

  private HotReads() {}

  /**
   * Makes the caller's bar from one candle's prices, trade count (-1 unknown) and origin ({@link
   * Origin}; live when the hash has none), with no intermediate object per candle.
   */
  @FunctionalInterface
  public interface BarMaker<B> {
    B bar(
        long minute,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long trades,
        String origin);
  }

  /**
   * The hot candles of a span, ascending: {@code live} ones the database may lack or hold older,
   * and {@code flushed} ones the flush stored and marked, unchanged since (the stored row, merged
   * with what the database had, is the better answer for those: after Redis lost part of a minute
   * the hash holds less than the row).
   */
  public record Tail<B>(List<B> live, List<B> flushed) {
    private static final Tail<?> EMPTY = new Tail<>(List.of(), List.of());

    @SuppressWarnings("unchecked")
    public static <B> Tail<B> empty() {
      return (Tail<B>) EMPTY;
    }
  }

  /**
   * The hot 1-minute candles with {@code fromMinute <= time <= toMinute}; a failed future when
   * Redis fails or does not answer within {@code timeoutMs}.
   */
  public static <B> Future<Tail<B>> between(
      Redis redis,
      String symbol,
      long fromMinute,
      long toMinute,
      long timeoutMs,
      BarMaker<B> make) {
    List<String> keys = new ArrayList<>((int) ((toMinute - fromMinute) / 60) + 1);
    for (long m = fromMinute; m <= toMinute; m += 60) keys.add(CandleKeys.candle(symbol, m));
    return SCRIPT
        .eval(redis, SCRIPT.request(keys, List.of()))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(reply -> parse(reply, fromMinute, make));
  }

  /**
   * Pairs of (1-based minute index, negative when flushed,
   * "open|high|low|close|volume|trades|origin"). A candle whose prices do not parse is skipped,
   * never served as zeros; a missing volume is 0.
   */
  static <B> Tail<B> parse(Response reply, long fromMinute, BarMaker<B> make) {
    if (reply == null || reply.size() == 0) return Tail.empty();
    List<B> live = new ArrayList<>(reply.size() / 2);
    List<B> flushed = new ArrayList<>(reply.size() / 2);
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      long index = reply.get(i).toLong(); // negative: flushed and unchanged since
      B bar = bar(fromMinute + (Math.abs(index) - 1) * 60, reply.get(i + 1).toString(), make);
      if (bar != null) (index < 0 ? flushed : live).add(bar);
    }
    return new Tail<>(live, flushed);
  }

  /**
   * "open|high|low|close|volume|trades|origin" ('' where the hash has none), read by {@link
   * CandleHash#prices} (the rule for every reader of the hash: a missing or unreadable price skips
   * the candle, no volume is 0). Any other number of values (a '|' inside a value), or an
   * unreadable trade count or origin, is not what the scripts wrote: skipped.
   */
  static <B> B bar(long minute, String fields, BarMaker<B> make) {
    String[] v = new String[VALUES];
    int count = 0;
    int start = 0;
    while (true) {
      int end = fields.indexOf('|', start);
      if (count == VALUES) return null;
      v[count++] = fields.substring(start, end < 0 ? fields.length() : end);
      if (end < 0) break;
      start = end + 1;
    }
    if (count != VALUES) return null;
    CandleHash.Prices p = CandleHash.prices(v[0], v[1], v[2], v[3], v[4]);
    if (p == null) return null;
    long trades;
    try {
      trades = v[5].isEmpty() ? -1 : Long.parseLong(v[5]);
    } catch (NumberFormatException e) {
      return null;
    }
    String origin = v[6].isEmpty() ? Origin.LIVE : v[6];
    if (!Origin.valid(origin)) return null;
    return make.bar(minute, p.open(), p.high(), p.low(), p.close(), p.volume(), trades, origin);
  }

  /** Values in one read_hot_candles.lua entry. */
  private static final int VALUES = 7;
}
