package oracle.http.market;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import oracle.storage.Resolution;

/**
 * The API's read path of stored candles: {@code ohlcv_1m} and the 5m/15m/1h/4h/1d rollups (tables
 * or views, the API cannot tell), straight into the API's own {@link Bar}s for speed; the storage
 * area's {@link oracle.storage.CandleRepository} owns writes. Every statement is parameterised;
 * table names come from {@link Resolution}.
 */
public final class StoredCandleReader {
  private final Pool pg;
  private final Map<Resolution, String> ascending = new EnumMap<>(Resolution.class);
  private final Map<Resolution, String> descending = new EnumMap<>(Resolution.class);
  private final Map<Resolution, String> latestBefore = new EnumMap<>(Resolution.class);

  public StoredCandleReader(Pool pg) {
    this.pg = pg;
    for (Resolution r : Resolution.values()) {
      // A minute's trade count and origin (no origin: live); rollups have neither.
      String select =
          "SELECT time, open, high, low, close, volume"
              + (r == Resolution.M1 ? ", trades, origin" : "")
              + " FROM "
              + r.table()
              + " WHERE symbol = $1 AND time >= $2 AND time <= $3 ORDER BY time ";
      ascending.put(r, select + "ASC LIMIT $4");
      descending.put(r, select + "DESC LIMIT $4");
      latestBefore.put(
          r,
          "SELECT time FROM "
              + r.table()
              + " WHERE symbol = $1 AND time < $2 ORDER BY time DESC LIMIT 1");
    }
  }

  /**
   * Up to {@code limit} stored candles with {@code from <= time <= to}, ascending; the last ones
   * when {@code fromEnd}.
   */
  public Future<List<Bar>> range(
      Resolution r, String symbol, long from, long to, int limit, boolean fromEnd) {
    String sql = (fromEnd ? descending : ascending).get(r);
    return pg.preparedQuery(sql)
        .execute(Tuple.of(symbol, ts(from), ts(to), limit))
        .map(
            rows -> {
              List<Bar> bars = new ArrayList<>(rows.size());
              for (Row row : rows) bars.add(bar(row.getOffsetDateTime(0).toEpochSecond(), row));
              if (fromEnd) java.util.Collections.reverse(bars);
              return bars;
            });
  }

  /** Start of the newest stored candle before {@code before}, or null. */
  public Future<Long> latestBefore(Resolution r, String symbol, long before) {
    return pg.preparedQuery(latestBefore.get(r))
        .execute(Tuple.of(symbol, ts(before)))
        .map(
            rows ->
                rows.size() == 0
                    ? null
                    : rows.iterator().next().getOffsetDateTime(0).toEpochSecond());
  }

  /**
   * Columns 1..5 are open, high, low, close, volume (any numeric SQL type); 6 and 7, on 1-minute
   * rows, the trade count and origin.
   */
  private static Bar bar(long time, Row row) {
    if (row.size() < 7)
      return new Bar(time, num(row, 1), num(row, 2), num(row, 3), num(row, 4), num(row, 5));
    Long trades = row.getLong(6);
    return new Bar(
        time,
        num(row, 1),
        num(row, 2),
        num(row, 3),
        num(row, 4),
        num(row, 5),
        trades == null ? -1 : trades,
        row.getString(7));
  }

  private static double num(Row row, int i) {
    Object v = row.getValue(i);
    return v == null ? 0.0 : ((Number) v).doubleValue();
  }

  static OffsetDateTime ts(long epochSeconds) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }
}
