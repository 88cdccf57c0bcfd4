package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.exchange.ExchangeHttpException.Kind;
import org.junit.jupiter.api.Test;

/**
 * Failures are typed: a rate limit, an outage, a refused request and a broken payload are told
 * apart by {@link ExchangeHttpException#kind()}, whatever way the exchange reports them (HTTP
 * status or an error inside a 200 body); messages stay as they were.
 */
class ExchangeErrorKindsTest {
  private static ExchangeHttpException thrown(Runnable r) {
    return catchThrowableOfType(ExchangeHttpException.class, r::run);
  }

  @Test
  void httpStatusesMapToKinds() {
    assertThat(new ExchangeHttpException("binance", 429, "Too Many Requests").kind())
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(new ExchangeHttpException("binance", 418, "I'm a teapot").kind())
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(new ExchangeHttpException("okx", 503, "Service Unavailable").kind())
        .isEqualTo(Kind.UNAVAILABLE);
    ExchangeHttpException notFound = new ExchangeHttpException("coinbase", 404, "Not Found");
    assertThat(notFound.kind()).isEqualTo(Kind.REJECTED);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound).hasMessage("coinbase answered HTTP 404: Not Found");
    assertThat(new ExchangeHttpException("uniswap", 200, "unreadable").kind())
        .isEqualTo(Kind.BAD_PAYLOAD);
  }

  @Test
  void errorBodiesOfEachExchangeAreClassified() {
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

    ExchangeHttpException bybit =
        thrown(
            () ->
                BybitAdapter.parseKlines(
                    new JsonObject().put("retCode", 10006).put("retMsg", "Too many visits!"),
                    "X/Y"));
    assertThat(bybit.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(BybitAdapter.errorKind(10016)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(BybitAdapter.errorKind(10001)).isEqualTo(Kind.REJECTED);

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

  @Test
  void malformedKlineRowsAreBadPayloads() {
    ExchangeHttpException notArray =
        thrown(
            () ->
                BinanceAdapter.parseKlines(
                    new JsonArray().add(new JsonObject().put("t", 1)), "BTC/USDT"));
    assertThat(notArray.kind()).isEqualTo(Kind.BAD_PAYLOAD);
    assertThat(notArray).hasMessageContaining("binance").hasMessageContaining("row 0");
    ExchangeHttpException shortRow =
        thrown(
            () ->
                CoinbaseAdapter.parseKlines(
                    new JsonArray().add(new JsonArray().add(1).add(2).add(3)), "BTC/USDT"));
    assertThat(shortRow.kind()).isEqualTo(Kind.BAD_PAYLOAD);
    ExchangeHttpException krakenRows =
        thrown(
            () ->
                KrakenAdapter.parseKlines(
                    new JsonObject()
                        .put("error", new JsonArray())
                        .put("result", new JsonObject().put("XBTUSDT", "nope").put("last", 1)),
                    "BTC/USDT"));
    assertThat(krakenRows.kind()).isEqualTo(Kind.BAD_PAYLOAD);
  }

  @Test
  void anUnreadableTimeOrNumberStaysLenient() {
    // as before the shared row helper: time 0 (outside any asked range), NaN numbers
    Kline k =
        BinanceAdapter.parseKlines(
                new JsonArray()
                    .add(new JsonArray().add("x").add("1").add("2").add("0.5").add("").add("3")),
                "BTC/USDT")
            .get(0);
    assertThat(k.time()).isZero();
    assertThat(k.open()).isEqualTo(1);
    assertThat(k.close()).isNaN();
    assertThat(k.volume()).isEqualTo(3);
  }
}
