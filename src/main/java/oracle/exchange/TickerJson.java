package oracle.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Streaming reads of batch ticker bodies (10,000 markets, megabytes per answer): one pass of a
 * Jackson {@link JsonParser} over the received bytes, keeping only the fields a quote needs,
 * instead of a {@code JsonObject} tree per market. Values read the same as the tree parsers did
 * ({@link HttpExchangeAdapter#num}, {@link HttpExchangeAdapter#longNum}, {@code
 * JsonObject.getString}); a body that is not well-formed JSON, or whose parts have the wrong type,
 * fails the call as before.
 */
public final class TickerJson {
  /**
   * Numbers through Jackson's FastDoubleParser: correctly rounded, so the same double as {@link
   * Double#parseDouble}, at a fraction of the cost on long decimals.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private TickerJson() {}

  /** The work of one parse, which may throw {@link IOException} (wrapped by {@link #read}). */
  public interface Reader<T> {
    T read(JsonParser p) throws IOException;
  }

  /**
   * Parses {@code body} with {@code reader}, which is given the parser on the root value's first
   * token; fails on trailing content and on malformed JSON ({@link DecodeException}).
   */
  public static <T> T read(Buffer body, Reader<T> reader) {
    try (JsonParser p = parser(body)) {
      if (p.nextToken() == null) throw new DecodeException("empty body");
      T out = reader.read(p);
      if (p.nextToken() != null) throw new DecodeException("unexpected content after the JSON");
      return out;
    } catch (IOException e) {
      throw new DecodeException("malformed JSON: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new DecodeException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static JsonParser parser(Buffer body) throws IOException {
    ByteBuf buf = ((BufferInternal) body).getByteBuf();
    if (buf.hasArray())
      return FACTORY.createParser(
          buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    return FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(buf));
  }

  /** Fails unless the current token is {@code expected}; {@code what} names the part. */
  public static void expect(JsonParser p, JsonToken expected, String what) {
    if (p.currentToken() != expected)
      throw new DecodeException(what + ": expected " + expected + ", got " + p.currentToken());
  }

  /**
   * The current value as {@link HttpExchangeAdapter#num} reads it: a JSON number, or a string
   * holding one; NaN for anything else (a container is skipped).
   */
  public static double num(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_STRING:
        // parsed from the parser's own buffer: no String per value
        return decimal(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      case START_OBJECT:
      case START_ARRAY:
        p.skipChildren();
        return Double.NaN;
      default:
        return Double.NaN;
    }
  }

  /** {@link #decimal(String)} of {@code length} characters of {@code text} from {@code offset}. */
  public static double decimal(char[] text, int offset, int length) {
    if (length == 0) return Double.NaN;
    try {
      return NumberInput.parseDouble(text, offset, length, true);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** A number sent as a string, as {@link HttpExchangeAdapter#num} reads it; NaN if it is none. */
  public static double decimal(String s) {
    if (s.isEmpty()) return Double.NaN;
    try {
      return NumberInput.parseDouble(s, true);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The current value as {@link HttpExchangeAdapter#longNum} reads it (a fractional number is
   * truncated, as {@code Double.longValue()} does); {@code def} for anything else.
   */
  public static long longNum(JsonParser p, long def) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue().longValue()
            : p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return (long) p.getDoubleValue();
      case VALUE_STRING:
        return HttpExchangeAdapter.longNum(p.getText(), def);
      case START_OBJECT:
      case START_ARRAY:
        p.skipChildren();
        return def;
      default:
        return def;
    }
  }

  /**
   * The current value as {@code JsonObject.getString} gives it (a number or boolean as its text),
   * null for null and for a container (skipped).
   */
  public static String string(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT:
        return Double.toString(p.getDoubleValue());
      case VALUE_TRUE:
        return "true";
      case VALUE_FALSE:
        return "false";
      case START_OBJECT:
      case START_ARRAY:
        p.skipChildren();
        return null;
      default:
        return null;
    }
  }

  /**
   * The current value as the tree held it: a String, Number (Integer, Long or BigInteger; Double
   * for a fraction), Boolean or null; a container is skipped and read as null.
   */
  public static Object scalar(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case START_OBJECT:
      case START_ARRAY:
        p.skipChildren();
        return null;
      default:
        return null;
    }
  }

  /**
   * The current array of strings and numbers as a {@link JsonArray} (an error list: small), or null
   * for JSON null; fails for any other type.
   */
  public static JsonArray smallArray(JsonParser p, String what) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) return null;
    expect(p, JsonToken.START_ARRAY, what);
    JsonArray out = new JsonArray();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      switch (p.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.add(p.getNumberValue());
        case VALUE_TRUE -> out.add(true);
        case VALUE_FALSE -> out.add(false);
        case VALUE_NULL -> out.addNull();
        case START_OBJECT, START_ARRAY -> {
          p.skipChildren();
          out.addNull();
        }
        default -> out.add(p.getText());
      }
    }
    return out;
  }

  /**
   * Element {@code index} of the current value, which must be an array or null (as {@code
   * getJsonArray} demands), read with {@link #num}; NaN when absent.
   */
  public static double numAt(JsonParser p, int index, String what) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) return Double.NaN;
    expect(p, JsonToken.START_ARRAY, what);
    double out = Double.NaN;
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (i++ == index) out = num(p);
      else p.skipChildren();
    }
    return out;
  }
}
