package oracle.http.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spellings users type, read as the configured canonical symbol (pure: no I/O). */
class SymbolNamesTest {
  private final SymbolNames names =
      new SymbolNames(
          new LinkedHashSet<>(
              List.of("BTC/USDT", "ETH/USDT", "ETH/BTC", "XY/ZUSD", "XYZ/USD", "BTC/USD")));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BTC/USDT",
        "btc/usdt",
        "BTC-USDT",
        "btc_usdt",
        "BtC:UsDt",
        "BTCUSDT",
        " btcusdt "
      })
  void everyUsualSpellingIsTheConfiguredSymbol(String typed) {
    assertThat(names.resolve("symbol", typed)).isEqualTo("BTC/USDT");
  }

  @Test
  void aJoinedSpellingSplitsAgainstTheConfiguredSymbols() {
    assertThat(names.resolve("symbol", "ethbtc")).isEqualTo("ETH/BTC");
    assertThat(names.resolve("symbol", "BTCUSD")).isEqualTo("BTC/USD");
  }

  @Test
  void anAmbiguousJoinedSpellingIsA400NamingTheCanonicalSpellings() {
    assertThatThrownBy(() -> names.resolve("symbols", "xyzusd"))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.toJson().getString("field")).isEqualTo("symbols");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "XYZUSD is ambiguous; write it with a slash: one of [XY/ZUSD, XYZ/USD]");
            });
    // With a separator it is not ambiguous.
    assertThat(names.resolve("symbol", "xy-zusd")).isEqualTo("XY/ZUSD");
    assertThat(names.resolve("symbol", "xyz_usd")).isEqualTo("XYZ/USD");
  }

  @Test
  void anUnknownSymbolIsA404InItsCanonicalSpelling() {
    for (String typed : List.of("doge/usdt", "DOGE-USDT", "DOGEUSDT")) {
      assertThatThrownBy(() -> names.resolve("symbol", typed))
          .isInstanceOfSatisfying(
              ApiError.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.toJson().getString("field")).isEqualTo("symbol");
                assertThat(e.getMessage())
                    .isEqualTo("unknown symbol DOGE/USDT; see /api/v1/market/symbols");
              });
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"nope", "BTC/USDT/ETH", "BTC USDT", "BTC.USDT", "B", "BTC//USDT", "€/USDT"})
  void whatIsNoSymbolSpellingIsA400NamingTheField(String typed) {
    assertThatThrownBy(() -> names.resolve("symbol", typed))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.toJson().getString("field")).isEqualTo("symbol");
              assertThat(e.getMessage()).startsWith("must be a symbol like BTC/USDT");
            });
  }
}
