package oracle.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import oracle.exchange.Kline;
import oracle.storage.CandleRow;
import org.junit.jupiter.api.Test;

/** The origin and trade count a backfilled minute is stored with (pure). */
class BackfillProvenanceTest {
  private static final long T = 1_764_068_400L;
  private static final CandleRow ROW =
      new CandleRow("BTC/USDT", T, 1, 2, 0.5, 1.5, 3, null, List.of("binance", "kraken"));

  private static Kline kline(String exchange, long time, long trades) {
    return new Kline(exchange, "BTC/USDT", time, 1, 2, 0.5, 1.5, 1).withTrades(trades);
  }

  @Test
  void theTradeCountIsTheSumWhenEverySourceOfTheRowReportsOne() {
    CandleRow row =
        Backfiller.provenance(
            ROW,
            List.of(
                kline("binance", T, 300),
                kline("kraken", T, 20),
                kline("okx", T, 5), // not combined into the row: not counted
                kline("binance", T + 60, 1_000))); // another minute
    assertThat(row.origin()).isEqualTo("backfill");
    assertThat(row.trades()).isEqualTo(320L);
    assertThat(row.close()).isEqualTo(1.5);
  }

  @Test
  void aSourceWithoutACountMakesItUnknown() {
    CandleRow row =
        Backfiller.provenance(ROW, List.of(kline("binance", T, 300), kline("kraken", T, -1)));
    assertThat(row.origin()).isEqualTo("backfill");
    assertThat(row.trades()).isNull();
  }
}
