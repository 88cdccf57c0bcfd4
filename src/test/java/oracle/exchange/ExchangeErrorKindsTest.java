package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.exchange.ExchangeHttpException.Kind;
import oracle.exchange.binance.BinanceAdapter;
import oracle.exchange.coinbase.CoinbaseAdapter;
import oracle.exchange.kraken.KrakenAdapter;
import org.junit.jupiter.api.Test;

/**
 * Failures are typed: a rate limit, an outage, a refused request and a broken payload are told
 * apart by {@link ExchangeHttpException#kind()}, whatever way the exchange reports them (HTTP
 * status or an error inside a 200 body); messages stay as they were. Each venue's error bodies are
 * tested in its package ({@code oracle.exchange.okx.OkxErrorKindsTest}, ...).
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
