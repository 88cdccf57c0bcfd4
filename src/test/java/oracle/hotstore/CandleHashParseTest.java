package oracle.hotstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import oracle.storage.CandleRow;
import org.junit.jupiter.api.Test;

/**
 * How one hash from read_unflushed.lua becomes a row: optional fields, and what counts as
 * malformed.
 */
class CandleHashParseTest {
  private static final String KEY = CandleKeys.candle("ETH/USDT", 1_764_068_400L);

  private static String[] fields(
      String volume, String quoteVolume, String sources, String first, String last) {
    return new String[] {
      "10", "12", "9", "11", volume, quoteVolume, sources, first, last, "1764068430000", "", "", ""
    };
  }

  /** The entry as read_unflushed.lua joins it. */
  private static String values(
      String volume, String quoteVolume, String sources, String first, String last) {
    return String.join("|", fields(volume, quoteVolume, sources, first, last));
  }

  @Test
  void everyFieldIsReadIntoTheRow() {
    PendingCandle p =
        UnflushedReader.parse(
            KEY, values("2.5", "27.5", "binance, okx", "1764068401000", "1764068459000"));
    assertThat(p.key()).isEqualTo(KEY);
    assertThat(p.updatedAt()).isEqualTo("1764068430000");
    CandleRow r = p.row();
    assertThat(r.symbol()).isEqualTo("ETH/USDT");
    assertThat(r.time()).isEqualTo(1_764_068_400L);
    assertThat(List.of(r.open(), r.high(), r.low(), r.close(), r.volume()))
        .containsExactly(10.0, 12.0, 9.0, 11.0, 2.5);
    assertThat(r.quoteVolume()).isEqualTo(27.5);
    assertThat(r.sources()).containsExactly("binance", "okx");
    assertThat(r.firstTickAt()).isEqualTo(1_764_068_401_000L);
    assertThat(r.lastTickAt()).isEqualTo(1_764_068_459_000L);
    assertThat(r.trades()).isNull();
    assertThat(r.origin()).as("live ticks, not closed out").isNull();
  }

  @Test
  void aClosedOutHashGivesARowWithItsTradesAndOrigin() {
    String[] f = fields("2.5", "", "binance", "", "");
    f[10] = "42";
    f[11] = "repaired";
    f[12] = "1";
    CandleRow r = UnflushedReader.parse(KEY, String.join("|", f)).row();
    assertThat(r.trades()).isEqualTo(42L);
    assertThat(r.origin()).isEqualTo("repaired");
    f[11] = "";
    assertThat(UnflushedReader.parse(KEY, String.join("|", f)).row().origin())
        .as("closed out without an origin: live")
        .isEqualTo("live");
    f[12] = "";
    f[11] = "repaired";
    assertThat(UnflushedReader.parse(KEY, String.join("|", f)).row().origin())
        .as("not closed out: merges, no origin on the row")
        .isNull();
    f[10] = "many";
    assertThat(UnflushedReader.parse(KEY, String.join("|", f))).as("unreadable count").isNull();
  }

  @Test
  void missingOptionalFieldsAreZeroVolumeNullsAndNoSources() {
    CandleRow r = UnflushedReader.parse(KEY, values("", " ", "", "", "")).row();
    assertThat(r.volume()).isZero();
    assertThat(r.quoteVolume()).isNull();
    assertThat(r.sources()).isEmpty();
    assertThat(r.firstTickAt()).isNull();
    assertThat(r.lastTickAt()).isNull();
    assertThat(UnflushedReader.parse(KEY, values("1", "", " ,binance,, ", "", "")).row().sources())
        .as("blank entries dropped")
        .containsExactly("binance");
  }

  @Test
  void aMalformedHashOrKeyIsSkippedNotGuessed() {
    String[] priceless = fields("1", "", "", "", "");
    priceless[3] = ""; // no close
    assertThat(UnflushedReader.parse(KEY, String.join("|", priceless))).isNull();
    String garbled = values("x", "", "", "", "");
    assertThat(UnflushedReader.parse(KEY, garbled)).as("unparsable volume").isNull();
    assertThat(UnflushedReader.parse(KEY, values("1", "", "", "", "") + "|extra"))
        .as("a value too many")
        .isNull();
    assertThat(UnflushedReader.parse(KEY, "10|12|9")).as("values missing").isNull();
    assertThat(
            UnflushedReader.parse(
                CandleKeys.PREFIX + "ETH/USDT:notaminute", values("1", "", "", "", "")))
        .isNull();
    assertThat(UnflushedReader.parse(CandleKeys.PREFIX + "nominute", values("1", "", "", "", "")))
        .isNull();
  }
}
