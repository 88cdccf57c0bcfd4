package oracle.hotstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A candle key read back into its symbol and minute, the one parser of the flush's keys. */
class CandleKeysTest {
  @Test
  void aCandleKeyGivesBackItsSymbolAndMinute() {
    String key = CandleKeys.candle("ETH/USDT", 1_764_068_400L);
    assertThat(key).isEqualTo("oracle:candle:ETH/USDT:1764068400");
    assertThat(CandleKeys.symbolOf(key)).isEqualTo("ETH/USDT");
    assertThat(CandleKeys.minuteOf(key)).isEqualTo(1_764_068_400L);
  }

  @Test
  void aKeyWithoutSymbolOrMinuteIsNotACandle() {
    assertThat(CandleKeys.symbolOf("oracle:candle:nominute")).isNull();
    assertThat(CandleKeys.symbolOf("oracle:candle::1764068400")).as("empty symbol").isNull();
    assertThat(CandleKeys.minuteOf("oracle:candle:nominute")).isEqualTo(Long.MIN_VALUE);
    assertThat(CandleKeys.minuteOf("oracle:candle:ETH/USDT:soon")).isEqualTo(Long.MIN_VALUE);
  }
}
