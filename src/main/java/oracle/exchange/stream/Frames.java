package oracle.exchange.stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the fields of a received message. Venues send numbers as JSON numbers or as decimal
 * strings (both are read); a missing or invalid field throws {@link FrameException} naming it.
 */
public final class Frames {
  private Frames() {}

  /** The required text field {@code key}. */
  public static String text(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof String s && !s.isEmpty()) return s;
    throw new FrameException(v == null ? missing(key) : "field '" + key + "' is not text: " + v);
  }

  /** The field {@code key} when it is text, else null. */
  public static String optionalText(JsonObject o, String key) {
    return o.getValue(key) instanceof String s ? s : null;
  }

  /** The required positive finite number {@code key} (a price or size). */
  public static double positive(JsonObject o, String key) {
    Object v = o.getValue(key);
    double d;
    if (v instanceof Number n) d = n.doubleValue();
    else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new FrameException("field '" + key + "' is not a number: " + s);
      }
    } else throw new FrameException(v == null ? missing(key) : notNumber(key, v));
    if (!(d > 0) || Double.isInfinite(d))
      throw new FrameException("field '" + key + "' must be a positive number: " + v);
    return d;
  }

  /** The required non-negative integer {@code key} (an id or epoch time), number or digits. */
  public static long integer(JsonObject o, String key) {
    Object v = o.getValue(key);
    long l;
    if (v instanceof Integer || v instanceof Long) l = ((Number) v).longValue();
    else if (v instanceof String s) {
      try {
        l = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new FrameException("field '" + key + "' is not an integer: " + s);
      }
    } else
      throw new FrameException(
          v == null ? missing(key) : "field '" + key + "' is not an integer: " + v);
    if (l < 0) throw new FrameException("field '" + key + "' is negative: " + l);
    return l;
  }

  /** The required boolean {@code key}. */
  public static boolean bool(JsonObject o, String key) {
    if (o.getValue(key) instanceof Boolean b) return b;
    throw new FrameException(
        o.getValue(key) == null ? missing(key) : "field '" + key + "' is not a boolean");
  }

  /** The required RFC 3339 time {@code key} in epoch milliseconds (finer digits truncated). */
  public static long isoMillis(JsonObject o, String key) {
    String s = text(o, key);
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new FrameException("field '" + key + "' is not an RFC 3339 time: " + s);
    }
  }

  /** The required object {@code key}. */
  public static JsonObject object(JsonObject o, String key) {
    if (o.getValue(key) instanceof JsonObject j) return j;
    throw new FrameException(
        o.getValue(key) == null ? missing(key) : "field '" + key + "' is not an object");
  }

  /** The required array of objects {@code key}. */
  public static List<JsonObject> objects(JsonObject o, String key) {
    if (!(o.getValue(key) instanceof JsonArray a))
      throw new FrameException(
          o.getValue(key) == null ? missing(key) : "field '" + key + "' is not an array");
    List<JsonObject> out = new ArrayList<>(a.size());
    for (Object item : a) {
      if (!(item instanceof JsonObject j))
        throw new FrameException("field '" + key + "' holds a non-object: " + item);
      out.add(j);
    }
    return out;
  }

  /** The taker side from a venue's {@code buy}/{@code sell} word (any case). */
  public static Side side(JsonObject o, String key) {
    String s = text(o, key);
    if (s.equalsIgnoreCase("buy")) return Side.BUY;
    if (s.equalsIgnoreCase("sell")) return Side.SELL;
    throw new FrameException("field '" + key + "' is not buy or sell: " + s);
  }

  private static String missing(String key) {
    return "field '" + key + "' missing";
  }

  private static String notNumber(String key, Object v) {
    return "field '" + key + "' is not a number: " + v;
  }
}
