package oracle.http.market;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/**
 * One cached block's candles, ascending: the numbers packed as arrays, and their JSON, made once:
 * the candle objects in order, separated by commas, so a run of candles is one slice of {@code
 * json}. Never written after construction (shared by every response that reads it).
 */
final class CandleBlock {
  final long[] times;
  final double[] values;

  /** The candles' trade counts (-1 unknown) and origins (null: live), as {@link Bar} has them. */
  final long[] trades;

  final String[] origins;

  /** 1-minute candles: their JSON has {@code trades} and {@code origin}. */
  final boolean minutes;

  final byte[] json;

  /**
   * Candle i's JSON is json[offsets[i], offsets[i + 1] - 1): the byte before the next one is the
   * comma ({@code offsets} ends with json.length + 1). So candles [a, b) are json[offsets[a],
   * offsets[b] - 1).
   */
  final int[] offsets;

  private CandleBlock(
      long[] times, double[] values, long[] trades, String[] origins, boolean minutes) {
    this.times = times;
    this.values = values;
    this.trades = trades;
    this.origins = origins;
    this.minutes = minutes;
    this.offsets = new int[times.length + 1];
    ByteBuf buf = Unpooled.buffer(Math.max(16, times.length * 160));
    try (CandleJson.CandleWriter writer = new CandleJson.CandleWriter(buf, minutes)) {
      for (int i = 0; i < times.length; i++) {
        if (i > 0) writer.comma();
        offsets[i] = writer.position();
        int v = i * 5;
        // Cached blocks ended long ago: every candle is closed.
        writer.candle(
            times[i],
            values[v],
            values[v + 1],
            values[v + 2],
            values[v + 3],
            values[v + 4],
            trades[i],
            origins[i],
            true);
      }
      offsets[times.length] = writer.position() + 1;
    }
    this.json = new byte[buf.readableBytes()];
    buf.readBytes(json);
  }

  /** A block of rollup buckets (or candles whose JSON is not needed). */
  static CandleBlock of(List<Bar> bars) {
    return of(bars, false);
  }

  /**
   * @param minutes 1-minute candles, whose JSON has {@code trades} and {@code origin}
   */
  static CandleBlock of(List<Bar> bars, boolean minutes) {
    long[] times = new long[bars.size()];
    double[] values = new double[bars.size() * 5];
    long[] trades = new long[bars.size()];
    String[] origins = new String[bars.size()];
    for (int i = 0; i < times.length; i++) {
      Bar b = bars.get(i);
      trades[i] = b.trades();
      origins[i] = b.origin();
      times[i] = b.time();
      values[i * 5] = b.open();
      values[i * 5 + 1] = b.high();
      values[i * 5 + 2] = b.low();
      values[i * 5 + 3] = b.close();
      values[i * 5 + 4] = b.volume();
    }
    return new CandleBlock(times, values, trades, origins, minutes);
  }

  int size() {
    return times.length;
  }

  /** Index of the first candle at or after {@code time}. */
  int indexAtOrAfter(long time) {
    int i = Arrays.binarySearch(times, time);
    return i >= 0 ? i : -i - 1;
  }

  /** Index of the first candle after {@code time}. */
  int indexAfter(long time) {
    int i = Arrays.binarySearch(times, time);
    return i >= 0 ? i + 1 : -i - 1;
  }

  Bar bar(int i) {
    return new Bar(
        times[i],
        values[i * 5],
        values[i * 5 + 1],
        values[i * 5 + 2],
        values[i * 5 + 3],
        values[i * 5 + 4],
        trades[i],
        origins[i]);
  }
}
