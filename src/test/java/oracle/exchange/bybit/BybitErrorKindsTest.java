package oracle.exchange.bybit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.ExchangeHttpException.Kind;
import org.junit.jupiter.api.Test;

/** Bybit's error bodies (inside a 200 answer) map to the failure kinds of every exchange. */
class BybitErrorKindsTest {
  private static ExchangeHttpException thrown(Runnable r) {
    return catchThrowableOfType(ExchangeHttpException.class, r::run);
  }

  @Test
  void errorBodiesAreClassified() {
    ExchangeHttpException bybit =
        thrown(
            () ->
                BybitAdapter.parseKlines(
                    new JsonObject().put("retCode", 10006).put("retMsg", "Too many visits!"),
                    "X/Y"));
    assertThat(bybit.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(BybitAdapter.errorKind(10016)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(BybitAdapter.errorKind(10001)).isEqualTo(Kind.REJECTED);
  }
}
