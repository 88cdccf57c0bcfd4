package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A candle key read back into its symbol and minute, the one parser of the flush's keys. */
class RedisKeysTest {
  @Test
  void aCandleKeyGivesBackItsSymbolAndMinute() {
    String key = RedisKeys.candle("ETH/USDT", 1_764_068_400L);
    assertThat(key).isEqualTo("oracle:candle:ETH/USDT:1764068400");
    assertThat(RedisKeys.candleSymbol(key)).isEqualTo("ETH/USDT");
    assertThat(RedisKeys.candleMinute(key)).isEqualTo(1_764_068_400L);
  }

  @Test
  void aKeyWithoutSymbolOrMinuteIsNotACandle() {
    assertThat(RedisKeys.candleSymbol("oracle:candle:nominute")).isNull();
    assertThat(RedisKeys.candleSymbol("oracle:candle::1764068400")).as("empty symbol").isNull();
    assertThat(RedisKeys.candleMinute("oracle:candle:nominute")).isEqualTo(Long.MIN_VALUE);
    assertThat(RedisKeys.candleMinute("oracle:candle:ETH/USDT:soon")).isEqualTo(Long.MIN_VALUE);
  }
}
