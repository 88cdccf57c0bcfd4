package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import oracle.common.Candle;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import oracle.relay.CandleRelay;
import org.junit.jupiter.api.Test;

/**
 * The tick's JSON written straight from the values ({@link PriceJson}, the relay's encoded PUBLISH)
 * is byte for byte what encoding the JsonObjects gives; a {@link LazyJson} body reaches consumers
 * as that JsonObject.
 */
class PriceJsonTest {
  private static final long NOW = 1_764_068_430_000L;
  private static final List<String> EXCHANGES =
      List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit");

  /** Agreed, withheld (no quorum, diverged), with and without weights, volumes, spreads, drops. */
  private static List<Aggregator.Result> results() {
    Random rnd = new Random(7);
    Aggregator rules = new Aggregator(10_000, 0.0005, QuorumRule.NONE);
    Aggregator strict = new Aggregator(10_000, 0.0005, new QuorumRule(3, 0.01, Map.of()));
    List<Aggregator.Result> out = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      List<Quote> quotes = new ArrayList<>();
      double base = 1e-6 + rnd.nextDouble() * Math.pow(10, rnd.nextInt(10));
      int n = rnd.nextInt(EXCHANGES.size() + 1);
      for (int k = 0; k < n; k++) {
        double p = base * (1 + (rnd.nextDouble() - 0.5) * (i % 5 == 0 ? 0.2 : 0.001));
        if (i % 17 == 0 && k == 0) p = -1; // invalid
        quotes.add(
            new Quote(
                EXCHANGES.get(k),
                "S" + i + "/USDT",
                "USDT",
                p,
                i % 3 == 0 ? Double.NaN : p * 0.999,
                i % 3 == 0 ? Double.NaN : p * 1.001,
                i % 11 == 0 && k == 1 ? NOW - 60_000 : NOW, // one stale now and then
                i % 4 == 0 ? Double.NaN : rnd.nextDouble() * 1e9,
                i % 2 == 0 ? Double.NaN : rnd.nextDouble() * 10));
      }
      Aggregator a = i % 2 == 0 ? rules : strict;
      out.add(
          a.aggregate(
              "S" + i + "/USDT",
              quotes,
              Map.of(),
              i % 7 == 0
                  ? List.of(new Aggregator.Dropped("upbit", DropReason.BREAKER_OPEN, Double.NaN))
                  : List.of(),
              NOW));
    }
    return out;
  }

  @Test
  void aNumberIsWrittenAsTheShortestTextThatReadsBackAsItself() {
    Random rnd = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> rnd.nextDouble() * 100_000; // prices
            case 1 -> rnd.nextDouble() * 1e-6; // tiny prices and volumes
            case 2 -> Math.round(rnd.nextDouble() * 1e8) / 1e4; // exchange decimals
            default -> Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL); // any finite
          };
      String text = PriceJson.text(v);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(v);
      assertThat(text.length()).as(text).isLessThanOrEqualTo(Double.toString(v).length());
    }
    assertThat(PriceJson.text(67_432.5)).isEqualTo("67432.5");
    assertThat(PriceJson.text(1e-7)).isEqualTo("1.0E-7");
    assertThat(PriceJson.text(2e23)).as("JDK 17 writes 1.9999999999999998E23").isEqualTo("2.0E23");
  }

  @Test
  void priceJsonAndWithheldTailAreTheJsonObjectsEncoded() {
    int agreed = 0;
    int withheld = 0;
    for (Aggregator.Result r : results()) {
      if (r.hasPrice()) {
        agreed++;
        assertThat(PriceJson.agreed(r)).isEqualTo(ReferencePriceJson.agreed(r).encode());
      } else {
        withheld++;
        assertThat(PriceJson.withheldTail(r)).isEqualTo(ReferencePriceJson.withheldTail(r));
      }
    }
    assertThat(agreed).isGreaterThan(50);
    assertThat(withheld).isGreaterThan(50);
  }

  @Test
  void relayMessageIsTheJsonObjectsEncoded() {
    List<JsonObject> candles = new ArrayList<>();
    List<String> encoded = new ArrayList<>();
    Random rnd = new Random(3);
    for (Aggregator.Result r : results()) {
      if (!r.hasPrice()) continue;
      Candle c =
          new Candle(
              r.symbol(),
              NOW / 60_000 * 60,
              rnd.nextDouble() * 100,
              rnd.nextDouble() * 1e7,
              rnd.nextDouble(),
              r.price(),
              rnd.nextDouble() * 1e4,
              NOW,
              0,
              rnd.nextBoolean() ? null : (long) rnd.nextInt(100_000),
              List.of("live", "repaired", "backfill").get(rnd.nextInt(3)));
      candles.add(ReferencePriceJson.agreedCandle(c.toJson(), r));
      encoded.add(PriceJson.agreedCandle(c, r));
      assertThat(encoded.get(encoded.size() - 1))
          .isEqualTo(candles.get(candles.size() - 1).encode());
    }
    assertThat(candles).anyMatch(j -> j.getValue("trades") == null);
    assertThat(candles).anyMatch(j -> "repaired".equals(j.getString("origin")));
    String origin = "leader \"one\"\u00e9";
    assertThat(CandleRelay.publishEncodedRequest(origin, encoded).toString())
        .isEqualTo(CandleRelay.publishJsonRequest(origin, candles).toString());
  }

  @Test
  void withheldCandleIsTheJsonObjectsEncoded() {
    List<Aggregator.Result> all = results();
    List<Aggregator.Result> agreed = all.stream().filter(Aggregator.Result::hasPrice).toList();
    List<Aggregator.Result> withheld = all.stream().filter(r -> !r.hasPrice()).toList();
    Candle c = new Candle("S1/USDT", NOW / 60_000 * 60, 1.5, 2.25, 1e-7, 1.75, 12.5, NOW, 0);
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < withheld.size(); i++) {
      // as update_candle.lua keeps it: the last agreed price with this tick's status tail
      String last = PriceJson.agreed(agreed.get(i % agreed.size()));
      stored.add(
          last.substring(0, last.indexOf(",\"status\":") + 1)
              + PriceJson.withheldTail(withheld.get(i))
              + "}");
    }
    stored.addAll(
        List.of(
            "",
            "{}",
            "{\"confidence\":3}",
            "{\"confidence\":\"NaN\",\"statusSources\":{\"a\":1}}",
            "{\"statusSources\":[{\"exchange\":\"x\",\"price\":1.0E-7}],\"confidence\":12345678901234}",
            "{\"statusSources\":[],\"statusSources\":7}",
            "[1,2]",
            "{\"confidence\":1",
            "{} {}"));
    for (int i = 0; i < stored.size(); i++) {
      Aggregator.Result r = withheld.get(i % withheld.size());
      String s = stored.get(i);
      JsonObject kept;
      try {
        kept = s.isEmpty() ? null : new JsonObject(s);
      } catch (io.vertx.core.json.DecodeException e) {
        kept = null;
      }
      PriceJson.Kept read = PriceJson.Kept.read(s);
      assertThat(read.valid()).as(s).isEqualTo(kept != null);
      assertThat(PriceJson.withheldCandle(c, r, read))
          .as(s)
          .isEqualTo(ReferencePriceJson.withheldCandle(c.toJson(), r, kept).encode());
    }
  }

  @Test
  void aTruncatedOrTrailedStoredPriceKeepsNothingAndAWholeNumberConfidenceIsKept() {
    assertThat(PriceJson.Kept.read("{\"confidence\":").valid()).isFalse();
    assertThat(PriceJson.Kept.read("{\"confidence\":1} {}").valid()).isFalse();
    assertThat(PriceJson.Kept.read("[1]").valid()).isFalse();
    assertThat(PriceJson.Kept.read("[1]").problem()).as("logged as unreadable").isNotBlank();
    assertThat(PriceJson.Kept.read("{\"confidence\":").problem()).isNotBlank();
    assertThat(PriceJson.Kept.read("").problem()).as("nothing stored yet: nothing wrong").isNull();
    assertThat(PriceJson.Kept.read("{}").problem()).isNull();
    PriceJson.Kept big = PriceJson.Kept.read("{\"confidence\":12345678901234}");
    assertThat(big.valid()).isTrue();
    assertThat(big.confidence()).isEqualTo(12345678901234L);
  }

  @Test
  void lazyBodyArrivesAsItsJsonObject() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LazyJson.registerCodec(vertx);
      LazyJson.registerCodec(vertx); // twice: no harm
      CompletableFuture<Object> got = new CompletableFuture<>();
      vertx.eventBus().consumer("lazy.test", m -> got.complete(m.body()));
      JsonObject json = new JsonObject().put("a", 1);
      vertx.eventBus().publish("lazy.test", new LazyJson(() -> json.copy()), LazyJson.DELIVERY);
      assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(json);
      // nobody listens: the JSON is never built
      vertx
          .eventBus()
          .publish(
              "lazy.nobody",
              new LazyJson(
                  () -> {
                    throw new AssertionError("built without a consumer");
                  }),
              LazyJson.DELIVERY);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
