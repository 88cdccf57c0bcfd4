package oracle.aggregation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import oracle.common.Candle;

/**
 * The one encoder of the price answer: the tick's JSON texts written straight from the values with
 * a jackson-core generator, once per symbol: the latest-price JSON stored at {@code
 * oracle:price:<symbol>} (what {@code /price} serves), the withheld tail, and each candle of the
 * relay message with its price fields. The event-bus bodies are these same texts, parsed only when
 * a consumer receives one ({@link LazyJson}), so every path carries the same bytes. No tree is
 * built per symbol and the databind serializer's per-call set-up is skipped. The rest of the
 * package knows no JSON ({@code ArchitectureTest}).
 */
final class PriceJson {
  /**
   * Doubles written with Jackson's Schubfach writer: the shortest text that reads back as the same
   * double (what {@code Double.toString} gives from JDK 19 on), several times faster than JDK 17's.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  /** A number for a Redis argument, as the JSON writer writes it. */
  static String text(double v) {
    return NumberOutput.toString(v, true);
  }

  private PriceJson() {}

  /** Writes one JSON text. */
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * The latest-price JSON of an agreed price. {@code status} and {@code stale} come last, on
   * purpose: a later tick without quorum replaces everything from {@code ,"status":} on (see {@link
   * #withheldTail}).
   */
  static String agreed(Aggregator.Result r) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("symbol", r.symbol());
          g.writeNumberField("price", r.price());
          g.writeNumberField("timestamp", r.timestampMs());
          g.writeStringField("method", r.method());
          g.writeNumberField("confidence", r.confidence());
          g.writeNumberField("dispersion", r.dispersion());
          g.writeNumberField("minSources", r.minSources());
          g.writeFieldName("sourcesUsed");
          g.writeStartArray();
          for (Aggregator.Used u : r.used()) used(g, u);
          g.writeEndArray();
          g.writeFieldName("sourcesDropped");
          g.writeStartArray();
          for (Aggregator.Dropped d : r.dropped()) dropped(g, d);
          g.writeEndArray();
          if (Double.isFinite(r.volume())) g.writeNumberField("minuteVolume", r.volume());
          if (r.weightCapped()) g.writeBooleanField("weightCapped", true);
          g.writeStringField("status", r.status().label());
          g.writeBooleanField("stale", false);
          g.writeEndObject();
        });
  }

  /**
   * What a tick without quorum puts after the last agreed price (a JSON member list, no braces):
   * {@code "status":"diverged","stale":true,"statusAt":<ms>,"statusSources":[...]}, naming every
   * source of this tick (the counted ones with their price, the dropped ones with their reason).
   */
  static String withheldTail(Aggregator.Result r) {
    String body =
        write(
            g -> {
              g.writeStartObject();
              g.writeStringField("status", r.status().label());
              g.writeBooleanField("stale", true);
              g.writeNumberField("statusAt", r.timestampMs());
              g.writeFieldName("statusSources");
              g.writeStartArray();
              for (Aggregator.Used u : r.used()) used(g, u);
              for (Aggregator.Dropped d : r.dropped()) dropped(g, d);
              g.writeEndArray();
              g.writeEndObject();
            });
    return body.substring(1, body.length() - 1);
  }

  /**
   * A candle moved by an agreed price, with the price fields a subscriber needs to see what {@code
   * /price} says: {@code confidence}, {@code stale}, {@code status}, {@code minSources}.
   */
  static String agreedCandle(Candle c, Aggregator.Result r) {
    return write(
        g -> {
          g.writeStartObject();
          candle(g, c);
          g.writeNumberField("confidence", r.confidence());
          g.writeBooleanField("stale", false);
          g.writeStringField("status", r.status().label());
          g.writeNumberField("minSources", r.minSources());
          g.writeEndObject();
        });
  }

  /**
   * The last agreed price as the candle script returned it while a price is withheld: whether it is
   * a JSON object (else it is ignored, as an unreadable one was), its {@code confidence} when a
   * number, and its {@code statusSources} array re-encoded; read in one streaming pass.
   */
  record Kept(boolean valid, Number confidence, String statusSources, String problem) {
    static final Kept NONE = new Kept(false, null, null, null);

    static Kept read(String stored) {
      if (stored.isEmpty()) return NONE;
      Kept kept = parse(stored);
      if (kept.valid()) return kept;
      return new Kept(false, null, null, whyUnreadable(stored));
    }

    private static Kept parse(String stored) {
      try (JsonParser p = JSON.createParser(stored)) {
        if (p.nextToken() != JsonToken.START_OBJECT) return NONE;
        Number confidence = null;
        String sources = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("confidence")) {
            confidence =
                value == JsonToken.VALUE_NUMBER_FLOAT
                    ? Double.valueOf(p.getDoubleValue())
                    : value == JsonToken.VALUE_NUMBER_INT ? p.getNumberValue() : null;
            p.skipChildren();
          } else if (field.equals("statusSources") && value == JsonToken.START_ARRAY) {
            sources = write(g -> g.copyCurrentStructure(p));
          } else {
            if (field.equals("statusSources")) sources = null;
            p.skipChildren();
          }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return NONE;
        return new Kept(true, confidence, sources, null);
      } catch (IOException e) {
        return NONE;
      }
    }
  }

  /**
   * A candle left as it was because the tick had no quorum: the price fields as above, the stored
   * last agreed price's {@code confidence} (null when it has none) and its {@code statusSources}
   * (the sources of that tick and why each was left out; null when it has none).
   */
  static String withheldCandle(Candle c, Aggregator.Result r, Kept kept) {
    return write(
        g -> {
          g.writeStartObject();
          candle(g, c);
          g.writeFieldName("confidence");
          Number confidence = kept.confidence();
          if (confidence == null) g.writeNull();
          else if (confidence instanceof Double d) g.writeNumber(d);
          else if (confidence instanceof Integer i) g.writeNumber(i);
          else if (confidence instanceof Long l) g.writeNumber(l);
          else g.writeNumber((java.math.BigInteger) confidence);
          g.writeBooleanField("stale", true);
          g.writeStringField("status", r.status().label());
          g.writeNumberField("minSources", r.minSources());
          g.writeFieldName("statusSources");
          if (kept.statusSources() == null) g.writeNull();
          else g.writeRawValue(kept.statusSources());
          g.writeEndObject();
        });
  }

  /** Why a stored text does not read as a JSON object, in the JSON reader's words. */
  private static String whyUnreadable(String stored) {
    try {
      new JsonObject(stored);
      return "not a JSON object";
    } catch (DecodeException | ClassCastException e) {
      return e.getMessage();
    }
  }

  /** An event-bus body carrying {@code text}, parsed only for a consumer. */
  static LazyJson event(String text) {
    return new LazyJson(() -> new JsonObject(text));
  }

  /** The {@code Addresses.INGESTION_TICK} event: how long a tick took, and in which step. */
  static LazyJson tickEvent(
      long tickMs,
      double durationMs,
      double collectMs,
      double aggregateMs,
      double redisMs,
      int symbols,
      int updated) {
    return new LazyJson(
        () ->
            new JsonObject()
                .put("tickMs", tickMs)
                .put("durationMs", durationMs)
                .put("collectMs", collectMs)
                .put("aggregateMs", aggregateMs)
                .put("redisMs", redisMs)
                .put("symbols", symbols)
                .put("updated", updated));
  }

  /** The fields of {@code Candle.toJson()}, in its order. */
  private static void candle(JsonGenerator g, Candle c) throws IOException {
    g.writeStringField("symbol", c.symbol());
    g.writeNumberField("time", c.time());
    g.writeNumberField("open", c.open());
    g.writeNumberField("high", c.high());
    g.writeNumberField("low", c.low());
    g.writeNumberField("close", c.close());
    g.writeNumberField("volume", c.volume());
    if (c.trades() == null) g.writeNullField("trades");
    else g.writeNumberField("trades", c.trades());
    g.writeStringField("origin", c.originOrLive());
    g.writeNumberField("updatedAt", c.updatedAt());
  }

  private static void used(JsonGenerator g, Aggregator.Used u) throws IOException {
    g.writeStartObject();
    g.writeStringField("exchange", u.exchange());
    g.writeNumberField("price", u.price());
    if (u.weight() > 0) g.writeNumberField("weight", u.weight());
    if (Double.isFinite(u.minuteVolume())) g.writeNumberField("minuteVolume", u.minuteVolume());
    if (u.capped()) g.writeBooleanField("capped", true);
    g.writeEndObject();
  }

  private static void dropped(JsonGenerator g, Aggregator.Dropped d) throws IOException {
    g.writeStartObject();
    g.writeStringField("exchange", d.exchange());
    g.writeStringField("reason", d.reason().label());
    if (Double.isFinite(d.price())) g.writeNumberField("price", d.price());
    g.writeEndObject();
  }
}
