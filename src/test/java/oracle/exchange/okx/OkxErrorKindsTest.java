package oracle.exchange.okx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.ExchangeHttpException.Kind;
import org.junit.jupiter.api.Test;

/** Okx's error bodies (inside a 200 answer) map to the failure kinds of every exchange. */
class OkxErrorKindsTest {
  private static ExchangeHttpException thrown(Runnable r) {
    return catchThrowableOfType(ExchangeHttpException.class, r::run);
  }

  @Test
  void errorBodiesAreClassified() {
    ExchangeHttpException okx =
        thrown(
            () ->
                OkxAdapter.parseKlines(
                    new JsonObject().put("code", "50011").put("msg", "Too Many Requests"), "X/Y"));
    assertThat(okx.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(okx.status()).isZero();
    assertThat(okx).hasMessage("okx answered an error: code 50011 Too Many Requests");
    assertThat(OkxAdapter.errorKind("50013")).isEqualTo(Kind.UNAVAILABLE);
    assertThat(OkxAdapter.errorKind("51001")).isEqualTo(Kind.REJECTED);
    assertThat(
            thrown(() -> OkxAdapter.parseKlines(new JsonObject().put("code", "0"), "X/Y")).kind())
        .isEqualTo(Kind.BAD_PAYLOAD);
  }
}
