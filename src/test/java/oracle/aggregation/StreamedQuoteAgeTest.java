package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import org.junit.jupiter.api.Test;

/**
 * A healthy stream's last trade stays a candidate with its age, weighted down; a poll goes stale.
 */
class StreamedQuoteAgeTest {
  private static final long NOW = 1_764_068_430_000L;
  private static final long STALENESS = 10_000;

  private static Quote quote(String exchange, double price, long ageMs, Quote.Via via) {
    return new Quote(
        exchange,
        "BTC/USDT",
        "USDT",
        price,
        Double.NaN,
        Double.NaN,
        NOW - ageMs,
        1e9,
        Double.NaN,
        null,
        via);
  }

  private static Aggregator.Result run(Quote... quotes) {
    return new Aggregator(STALENESS, 0.0005, QuorumRule.NONE)
        .aggregate("BTC/USDT", List.of(quotes), Map.of(), List.of(), NOW);
  }

  @Test
  void agePenaltyHalvesEveryStalenessWindow() {
    assertThat(Aggregator.agePenalty(0, STALENESS)).isEqualTo(1.0);
    assertThat(Aggregator.agePenalty(-50, STALENESS)).isEqualTo(1.0);
    assertThat(Aggregator.agePenalty(10_000, STALENESS)).isEqualTo(0.5, within(1e-12));
    assertThat(Aggregator.agePenalty(20_000, STALENESS)).isEqualTo(0.25, within(1e-12));
  }

  @Test
  void aQuietStreamedSourceIsNotStaleButWeighsLess() {
    // 20 s old: a poll would be stale; a healthy stream's last trade counts a quarter
    Aggregator.Result r =
        run(quote("a", 100, 0, Quote.Via.STREAM), quote("b", 110, 20_000, Quote.Via.STREAM));
    assertThat(r.dropped()).isEmpty();
    assertThat(r.used()).extracting(Aggregator.Used::via).containsOnly(Quote.Via.STREAM);
    assertThat(r.used().get(1).weight()).isEqualTo(0.25e9, within(1.0));
    // (100·1 + 110·0.25) / 1.25 = 102
    assertThat(r.price()).isEqualTo(102.0, within(1e-9));
    System.out.println("streamed price with a 20 s old venue: " + r.price());
  }

  @Test
  void aPolledQuoteOfTheSameAgeIsStale() {
    Aggregator.Result r =
        run(quote("a", 100, 0, Quote.Via.STREAM), quote("b", 110, 20_000, Quote.Via.POLL));
    assertThat(r.dropped()).containsExactly(new Aggregator.Dropped("b", DropReason.STALE, 110));
    assertThat(r.price()).isEqualTo(100.0);
  }

  @Test
  void aStreamedQuoteDatedFarAheadIsStillStale() {
    Aggregator.Result r =
        run(quote("a", 100, 0, Quote.Via.POLL), quote("b", 100.5, -20_000, Quote.Via.STREAM));
    assertThat(r.dropped())
        .extracting(Aggregator.Dropped::reason)
        .containsExactly(DropReason.STALE);
  }

  @Test
  void thePriceSaysHowEachSourceWasRead() {
    String json =
        PriceJson.agreed(
            run(quote("a", 100, 0, Quote.Via.STREAM), quote("b", 100, 0, Quote.Via.POLL)));
    assertThat(json).contains("\"exchange\":\"a\"").contains("\"via\":\"stream\"");
    assertThat(json).contains("\"via\":\"poll\"");
  }

  @Test
  void aStreamedQuietSourceIsNotFrozen() {
    FrozenFeeds frozen = new FrozenFeeds();
    Aggregator rules = new Aggregator(STALENESS, 0.0005, QuorumRule.NONE);
    Aggregator.Result last = null;
    // the others move 1 % over 15 s; the streamed one keeps its last trade (quiet market)
    for (int s = 0; s <= 15; s++) {
      long now = NOW + s * 1000L;
      double moved = 100 * (1 + 0.01 * s / 15.0);
      List<Quote> quotes =
          List.of(
              at(quote("quiet", 100, 0, Quote.Via.STREAM), NOW),
              at(quote("p1", moved, 0, Quote.Via.POLL), now),
              at(quote("p2", moved, 0, Quote.Via.POLL), now));
      last = rules.aggregate("BTC/USDT", quotes, Map.of(), List.of(), now, frozen);
    }
    assertThat(last.dropped())
        .extracting(Aggregator.Dropped::reason)
        .doesNotContain(DropReason.FROZEN);
  }

  private static Quote at(Quote q, long timestampMs) {
    return new Quote(
        q.exchange(),
        q.symbol(),
        q.quoteCurrency(),
        q.price(),
        q.bid(),
        q.ask(),
        timestampMs,
        q.liquidity(),
        q.minuteVolume(),
        null,
        q.via());
  }
}
