package oracle.http.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code from}/{@code to}: Unix seconds or ISO-8601 instants, one parser for every route. */
class TimeParamTest {
  @Test
  void unixSecondsAndIsoInstantsAreTheSameTime() {
    long t = 1_796_637_600L; // 2026-12-07T10:00:00Z
    assertThat(TimeParam.parse("from", "1796637600")).isEqualTo(t);
    assertThat(TimeParam.parse("from", "2026-12-07T10:00:00Z")).isEqualTo(t);
    assertThat(TimeParam.parse("from", "2026-12-07T10:00:00.750Z")).isEqualTo(t);
    assertThat(TimeParam.parse("from", "2026-12-07T11:00:00+01:00")).isEqualTo(t);
    assertThat(TimeParam.parse("from", "0")).isZero();
    assertThat(TimeParam.parse("to", "253402300799")).isEqualTo(TimeParam.MAX_UNIX_SECONDS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "-5",
        "1.5",
        "253402300800",
        "1796637600000000",
        "2026-13-01T00:00:00Z",
        "2026-12-07",
        "2026-12-07T10:00:00",
        "99999999999999999999",
        "1969-12-31T23:59:59Z"
      })
  void anythingElseIsA400NamingTheField(String raw) {
    assertThatThrownBy(() -> TimeParam.parse("to", raw))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.toJson().getString("field")).isEqualTo("to");
              assertThat(e.getMessage()).isEqualTo(TimeParam.RULE);
            });
  }
}
