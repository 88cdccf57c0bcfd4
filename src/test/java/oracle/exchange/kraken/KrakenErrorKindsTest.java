package oracle.exchange.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.ExchangeHttpException.Kind;
import org.junit.jupiter.api.Test;

/** Kraken's error bodies (inside a 200 answer) map to the failure kinds of every exchange. */
class KrakenErrorKindsTest {
  private static ExchangeHttpException thrown(Runnable r) {
    return catchThrowableOfType(ExchangeHttpException.class, r::run);
  }

  @Test
  void errorBodiesAreClassified() {
    JsonObject krakenLimited =
        new JsonObject()
            .put("error", new JsonArray().add("EAPI:Rate limit exceeded"))
            .put("result", new JsonObject());
    assertThat(thrown(() -> KrakenAdapter.parseKlines(krakenLimited, "X/Y")).kind())
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(KrakenAdapter.errorKind(new JsonArray().add("EGeneral:Too many requests")))
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(KrakenAdapter.errorKind(new JsonArray().add("EService:Unavailable")))
        .isEqualTo(Kind.UNAVAILABLE);
    assertThat(KrakenAdapter.errorKind(new JsonArray().add("EQuery:Unknown asset pair")))
        .isEqualTo(Kind.REJECTED);
    assertThat(thrown(() -> KrakenAdapter.parseKlines(new JsonObject(), "X/Y")).kind())
        .isEqualTo(Kind.BAD_PAYLOAD);
  }
}
