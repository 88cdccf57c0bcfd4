package oracle.hotstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import oracle.common.Candle;
import org.junit.jupiter.api.Test;

/** The one reader of the Redis candle hash: what is a candle, what is skipped, how numbers read. */
class CandleHashTest {

  @Test
  void pricesAreReadInFieldOrderAndAMissingVolumeIsZero() {
    assertThat(CandleHash.PRICE_FIELDS).containsExactly("open", "high", "low", "close", "volume");
    assertThat(CandleHash.prices("10", "12", "9", "11", "2.5"))
        .isEqualTo(new CandleHash.Prices(10, 12, 9, 11, 2.5));
    assertThat(CandleHash.prices("10", "12", "9", "11", null).volume()).isZero();
    assertThat(CandleHash.prices("10", "12", "9", "11", " ").volume()).isZero();
  }

  @Test
  void aMissingUnreadableOrInfinitePriceMakesNoCandle() {
    assertThat(CandleHash.prices(null, "12", "9", "11", "1")).as("no open").isNull();
    assertThat(CandleHash.prices("10", "", "9", "11", "1")).as("blank high").isNull();
    assertThat(CandleHash.prices("10", "12", "x", "11", "1")).as("unreadable low").isNull();
    assertThat(CandleHash.prices("10", "12", "9", "inf", "1")).as("infinite close").isNull();
    assertThat(CandleHash.prices("nan", "12", "9", "11", "1")).as("nan open").isNull();
    assertThat(CandleHash.prices("10", "12", "9", "11", "-inf")).as("infinite volume").isNull();
  }

  @Test
  void numbersReadAsJavaDoesPlusRedisNames() {
    assertThat(CandleHash.number("0.1")).isEqualTo(0.1);
    assertThat(CandleHash.number("67432.123456789"))
        .isEqualTo(Double.parseDouble("67432.123456789"));
    assertThat(CandleHash.number("1e-7")).isEqualTo(1e-7);
    assertThat(CandleHash.number(" 5 ")).isEqualTo(5.0);
    assertThat(CandleHash.number("inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(CandleHash.number("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(CandleHash.number("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(CandleHash.number("nan")).isNaN();
    assertThat(CandleHash.number("-nan")).isNaN();
    assertThatThrownBy(() -> CandleHash.number("12abc")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void anUnflushedEntryKeepsEveryFieldAndItsUpdatedAtAsStored() {
    CandleHash.Unflushed u =
        CandleHash.unflushed(
            "10|12|9|11|2.5|27.5|binance, okx,,|1764068401000|1764068459000|0017|||");
    assertThat(u.prices()).isEqualTo(new CandleHash.Prices(10, 12, 9, 11, 2.5));
    assertThat(u.quoteVolume()).isEqualTo(27.5);
    assertThat(u.sources()).containsExactly("binance", "okx");
    assertThat(u.firstTickAt()).isEqualTo(1_764_068_401_000L);
    assertThat(u.lastTickAt()).isEqualTo(1_764_068_459_000L);
    assertThat(u.updatedAt()).as("compared unparsed by the mark script").isEqualTo("0017");

    CandleHash.Unflushed bare = CandleHash.unflushed("10|12|9|11||||||1|||");
    assertThat(bare.prices().volume()).isZero();
    assertThat(bare.quoteVolume()).isNull();
    assertThat(bare.sources()).isEmpty();
    assertThat(bare.firstTickAt()).isNull();
    assertThat(bare.lastTickAt()).isNull();
  }

  @Test
  void anUnflushedEntryCarriesTradesAndOriginAndAClosedOutOneIsFinal() {
    CandleHash.Unflushed ticks = CandleHash.unflushed("10|12|9|11|2.5||binance|1|2|3|42||");
    assertThat(ticks.trades()).isEqualTo(42);
    assertThat(ticks.closedOut()).isFalse();
    assertThat(ticks.rowOrigin()).as("live ticks merge: no origin on the row").isNull();

    CandleHash.Unflushed repaired =
        CandleHash.unflushed("10|12|9|11|2.5||binance|1|2|3|42|repaired|1");
    assertThat(repaired.closedOut()).isTrue();
    assertThat(repaired.rowOrigin()).isEqualTo("repaired");
    assertThat(CandleHash.unflushed("10|12|9|11|2.5||binance|1|2|3|||1").rowOrigin())
        .as("a closed-out candle without origin is live")
        .isEqualTo("live");
    assertThatThrownBy(() -> CandleHash.unflushed("10|12|9|11|2.5||binance|1|2|3||guessed|1"))
        .hasMessageContaining("origin");
  }

  @Test
  void aMalformedUnflushedEntryIsRefusedSayingWhy() {
    assertThatThrownBy(() -> CandleHash.unflushed("10|12|9|11"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 values");
    assertThatThrownBy(() -> CandleHash.unflushed("10|12|9||1|||||1|||"))
        .hasMessageContaining("price is missing");
    assertThatThrownBy(() -> CandleHash.unflushed("10|12|9|11|1|inf||||1|||"))
        .hasMessageContaining("quote_volume");
    assertThatThrownBy(() -> CandleHash.unflushed("10|12|9|11|1|||soon||1|||"))
        .isInstanceOf(NumberFormatException.class);
  }

  @Test
  void aWholeHashIsACandle() {
    Map<String, String> hash = new HashMap<>();
    hash.put("open", "10");
    hash.put("high", "12");
    hash.put("low", "9");
    hash.put("close", "11");
    hash.put("updated_at", "1764068430000");
    Candle c = CandleHash.candle("ETH/USDT", 1_764_068_400L, hash);
    assertThat(c)
        .isEqualTo(new Candle("ETH/USDT", 1_764_068_400L, 10, 12, 9, 11, 0, 1_764_068_430_000L, 0));
    hash.put("volume", "3");
    hash.put("flushed_at", "1764068500000");
    assertThat(CandleHash.candle("ETH/USDT", 1_764_068_400L, hash).flushedAt())
        .isEqualTo(1_764_068_500_000L);
    hash.remove("close");
    assertThatThrownBy(() -> CandleHash.candle("ETH/USDT", 1_764_068_400L, hash))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
