package oracle.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rows a write sends: de-duplicated (the last of a (symbol, time) pair wins), in the index's
 * order (symbol, time DESC), each column's text computed once and picked by position.
 */
class EncodedRowsTest {
  private static CandleRow row(String symbol, long time, double close, List<String> sources) {
    return new CandleRow(
        symbol, time, close, close + 1, close - 1, close, 2.5, null, sources, 1_000L, 2_000L);
  }

  @Test
  void theLastOfADuplicatePairIsKeptInTheIndexOrder() {
    FencedWriter.Encoded e =
        FencedWriter.Encoded.of(
            List.of(
                row("ETH/USDT", 60, 1, List.of("okx")),
                row("BTC/USDT", 60, 2, List.of("okx")),
                row("ETH/USDT", 120, 3, List.of("okx")),
                row("ETH/USDT", 60, 4, List.of("binance")),
                row("BTC/USDT", 120, 5, List.of()),
                row("ETH/USDT", 60, 6, List.of("binance", "okx"))));
    assertThat(e.rows())
        .extracting(r -> r.symbol() + "@" + r.time() + "=" + r.close())
        .containsExactly(
            "BTC/USDT@120=5.0", "BTC/USDT@60=2.0", "ETH/USDT@120=3.0", "ETH/USDT@60=6.0");
    assertThat(e.min()).isEqualTo(60);
    assertThat(e.max()).isEqualTo(120);

    Tuple all = e.arrays(new int[] {0, 1, 2, 3});
    assertThat((String[]) all.getValue(0))
        .containsExactly("BTC/USDT", "BTC/USDT", "ETH/USDT", "ETH/USDT");
    assertThat((Long[]) all.getValue(1)).containsExactly(120L, 60L, 120L, 60L);
    assertThat((String[]) all.getValue(5)).containsExactly("5.0", "2.0", "3.0", "6.0");
    assertThat((String[]) all.getValue(7)).containsExactly(null, null, null, null);
    // Sources joined per row, also where a run of equal lists ends.
    assertThat((String[]) all.getValue(8)).containsExactly("", "okx", "okx", "binance,okx");
    assertThat((Long[]) all.getValue(9)).containsExactly(1_000L, 1_000L, 1_000L, 1_000L);

    Tuple picked = e.arrays(new int[] {1, 3});
    assertThat((String[]) picked.getValue(0)).containsExactly("BTC/USDT", "ETH/USDT");
    assertThat((Long[]) picked.getValue(1)).containsExactly(60L, 60L);
    assertThat((String[]) picked.getValue(2)).containsExactly("2.0", "6.0");
    assertThat((String[]) picked.getValue(3)).containsExactly("3.0", "7.0");
    assertThat((String[]) picked.getValue(8)).containsExactly("okx", "binance,okx");
  }

  @Test
  void anEmptyBatchEncodesToNothing() {
    FencedWriter.Encoded e = FencedWriter.Encoded.of(List.of());
    assertThat(e.size()).isZero();
    assertThat((String[]) e.arrays(new int[0]).getValue(0)).isEmpty();
  }
}
