package oracle.hotstore;

import com.fasterxml.jackson.core.io.NumberInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oracle.common.Candle;

/**
 * The Redis candle hash {@code oracle:candle:{symbol}:{minute}}: its field names and how its values
 * are read back, in one place beside the Lua scripts that write it ({@code lua/update_candle.lua})
 * and read it for the flush ({@code lua/read_unflushed.lua}).
 *
 * <p>Values are stored as Redis text. A price field that is missing or not a finite number makes
 * the whole hash unreadable (a hash half-written by hand is skipped, never served or stored as
 * zeros); a missing volume is 0; the other fields are optional.
 */
public final class CandleHash {
  public static final String OPEN = "open";
  public static final String HIGH = "high";
  public static final String LOW = "low";
  public static final String CLOSE = "close";
  public static final String VOLUME = "volume";
  public static final String QUOTE_VOLUME = "quote_volume";
  public static final String SOURCES = "sources";
  public static final String FIRST_TICK_AT = "first_tick_at";
  public static final String LAST_TICK_AT = "last_tick_at";
  public static final String UPDATED_AT = "updated_at";
  public static final String FLUSHED_AT = "flushed_at";

  /** The minute's trade count, the sum of the {@code trades:<source>} fields; absent = unknown. */
  public static final String TRADES = "trades";

  /** {@link Origin}: absent = {@link Origin#LIVE}. */
  public static final String ORIGIN = "origin";

  /** "1" once the minute was closed out ({@code CandleUpdates.finalMinute}). */
  public static final String FINAL = "final";

  /** The fields a reader of prices asks for ({@code HMGET}), in the order {@link #prices} takes. */
  public static final List<String> PRICE_FIELDS = List.of(OPEN, HIGH, LOW, CLOSE, VOLUME);

  /** Values in one {@code read_unflushed.lua} entry, joined with {@code '|'}. */
  public static final int UNFLUSHED_VALUES = 13;

  private CandleHash() {}

  /** Open, high, low, close and volume of one hash. */
  public record Prices(double open, double high, double low, double close, double volume) {}

  /**
   * One unflushed hash as {@code read_unflushed.lua} returns it: {@code open, high, low, close,
   * volume, quote_volume, sources, first_tick_at, last_tick_at, updated_at, trades, origin, final}.
   *
   * @param updatedAt as stored: the mark script compares it, unparsed, with the hash's current one
   * @param trades the minute's trade count, null when unknown
   * @param origin the hash's origin, null when it has none
   * @param closedOut the close-out wrote it ({@code final} = 1)
   */
  public record Unflushed(
      Prices prices,
      Double quoteVolume,
      List<String> sources,
      Long firstTickAt,
      Long lastTickAt,
      String updatedAt,
      Long trades,
      String origin,
      boolean closedOut) {

    /**
     * The origin the stored row gets: a closed-out candle's (live when it has none), null for a
     * candle of live ticks not closed out, which merges into a stored live row.
     */
    public String rowOrigin() {
      if (!closedOut) return null;
      return origin == null ? Origin.LIVE : origin;
    }
  }

  /**
   * The prices from values in {@link #PRICE_FIELDS} order (null where a field is missing), or null
   * when a price is missing or unreadable.
   */
  public static Prices prices(String open, String high, String low, String close, String volume) {
    double o = price(open);
    double h = price(high);
    double l = price(low);
    double c = price(close);
    if (Double.isNaN(o) || Double.isNaN(h) || Double.isNaN(l) || Double.isNaN(c)) return null;
    double v = blank(volume) ? 0 : number(volume);
    if (!Double.isFinite(v)) return null;
    return new Prices(o, h, l, c, v);
  }

  /**
   * One {@code read_unflushed.lua} entry.
   *
   * @throws IllegalArgumentException naming what is wrong when the entry is malformed
   */
  public static Unflushed unflushed(String joined) {
    String[] v = joined.split("\\|", -1);
    if (v.length != UNFLUSHED_VALUES)
      throw new IllegalArgumentException(v.length + " values, not " + UNFLUSHED_VALUES);
    Prices prices = prices(v[0], v[1], v[2], v[3], v[4]);
    if (prices == null) throw new IllegalArgumentException("a price is missing or not a number");
    return new Unflushed(
        prices,
        blank(v[5]) ? null : finite(v[5], QUOTE_VOLUME),
        sources(v[6]),
        blank(v[7]) ? null : Long.valueOf(v[7].trim()),
        blank(v[8]) ? null : Long.valueOf(v[8].trim()),
        v[9],
        blank(v[10]) ? null : Long.valueOf(v[10].trim()),
        origin(v[11]),
        "1".equals(v[12].trim()));
  }

  /**
   * A whole hash ({@code HGETALL}) as a {@link Candle}.
   *
   * @throws IllegalArgumentException when a price is missing or not a number, or the trade count or
   *     origin is unreadable
   */
  public static Candle candle(String symbol, long minute, Map<String, String> hash) {
    Prices p =
        prices(hash.get(OPEN), hash.get(HIGH), hash.get(LOW), hash.get(CLOSE), hash.get(VOLUME));
    if (p == null) throw new IllegalArgumentException("a price is missing or not a number");
    return new Candle(
        symbol,
        minute,
        p.open(),
        p.high(),
        p.low(),
        p.close(),
        p.volume(),
        millis(hash.get(UPDATED_AT)),
        millis(hash.get(FLUSHED_AT)),
        blank(hash.get(TRADES)) ? null : Long.valueOf(hash.get(TRADES).trim()),
        origin(hash.get(ORIGIN)));
  }

  /**
   * A number as Redis writes it: the same double as {@code Double.parseDouble} through Jackson's
   * correctly rounded fast parser, plus Redis's own {@code inf}, {@code -inf} and {@code nan}.
   *
   * @throws NumberFormatException when it is not a number
   */
  public static double number(String s) {
    String t = s.trim();
    switch (t) {
      case "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan", "-nan" -> {
        return Double.NaN;
      }
      default -> {
        return NumberInput.parseDouble(t, true);
      }
    }
  }

  /** A price field: NaN when missing, unreadable or not finite. */
  private static double price(String s) {
    if (blank(s)) return Double.NaN;
    try {
      double d = number(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static Double finite(String s, String field) {
    double d = number(s);
    if (!Double.isFinite(d)) throw new IllegalArgumentException(field + " is " + s);
    return d;
  }

  /** An origin field: null when absent; one of {@link Origin#ALL} else. */
  private static String origin(String s) {
    if (blank(s)) return null;
    String o = s.trim();
    if (!Origin.valid(o)) throw new IllegalArgumentException(ORIGIN + " is " + s);
    return o;
  }

  private static long millis(String s) {
    return blank(s) ? 0 : Long.parseLong(s.trim());
  }

  /** The comma-separated source list, blank entries dropped. */
  private static List<String> sources(String s) {
    if (blank(s)) return List.of();
    List<String> out = new ArrayList<>(4);
    for (String part : s.split(",")) {
      String name = part.trim();
      if (!name.isEmpty()) out.add(name);
    }
    return List.copyOf(out);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
