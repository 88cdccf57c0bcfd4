package oracle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a stored candle may hold: a symbol, a minute start, finite prices; the optional fields
 * normalised.
 */
class CandleRowTest {
  private static final long MINUTE = 1_764_068_400L;

  @Test
  void rejectsWhatMustNeverReachTheDatabase() {
    assertThatThrownBy(() -> new CandleRow(null, MINUTE, 1, 1, 1, 1, 0, null, null))
        .hasMessageContaining("symbol");
    assertThatThrownBy(() -> new CandleRow(" ", MINUTE, 1, 1, 1, 1, 0, null, null))
        .hasMessageContaining("symbol");
    assertThatThrownBy(() -> new CandleRow("BTC/USDT", MINUTE + 30, 1, 1, 1, 1, 0, null, null))
        .hasMessageContaining("minute start");
    assertThatThrownBy(
            () ->
                new CandleRow("BTC/USDT", MINUTE, 1, Double.POSITIVE_INFINITY, 1, 1, 0, null, null))
        .hasMessageContaining("non-finite");
    assertThatThrownBy(() -> new CandleRow("BTC/USDT", MINUTE, 1, 1, 1, 1, Double.NaN, null, null))
        .hasMessageContaining("non-finite");
  }

  @Test
  void anUnusableQuoteVolumeIsDroppedAndSourcesAreCopied() {
    List<String> sources = new ArrayList<>(List.of("binance"));
    CandleRow row = new CandleRow("BTC/USDT", MINUTE, 1, 2, 0.5, 1.5, 3, Double.NaN, sources);
    sources.add("okx");
    assertThat(row.quoteVolume()).as("unknown rather than NaN").isNull();
    assertThat(row.sources()).containsExactly("binance");
    assertThat(new CandleRow("BTC/USDT", MINUTE, 1, 2, 0.5, 1.5, 3, 4.5, null).sources()).isEmpty();
    assertThat(new CandleRow("BTC/USDT", MINUTE, 1, 2, 0.5, 1.5, 3, 4.5, null).quoteVolume())
        .isEqualTo(4.5);
    assertThat(
            new CandleRow("BTC/USDT", MINUTE, 1, 2, 0.5, 1.5, 3, Double.POSITIVE_INFINITY, null)
                .quoteVolume())
        .isNull();
  }
}
