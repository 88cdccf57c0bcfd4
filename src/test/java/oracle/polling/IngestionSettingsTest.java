package oracle.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import oracle.exchange.Market;
import oracle.exchange.SourceSettings;
import org.junit.jupiter.api.Test;

class IngestionSettingsTest {
  private static JsonObject base() {
    return new JsonObject()
        .put("symbols", new JsonArray().add("BTC/USDT").add("ETH/USDT"))
        .put("exchanges", new JsonArray().add("binance").add("upbit").add("coinbase"));
  }

  @Test
  void defaultsArePublicUrlsAndTheUpbitRate() {
    IngestionSettings s = AppSettings.from(base()).ingestion();
    assertThat(s.intervalMs()).isEqualTo(1_000);
    assertThat(s.stalenessMs()).isEqualTo(10_000);
    assertThat(s.rates()).containsEntry("USDT/KRW", "upbit");
    assertThat(s.sources())
        .extracting(SourceSettings::name)
        .containsExactly("binance", "coinbase", "upbit");
    assertThat(s.sources().get(0).url()).isEqualTo("https://api.binance.com");
    assertThat(s.symbolsFor("upbit")).containsExactly("BTC/USDT", "ETH/USDT", "USDT/KRW");
    assertThat(s.symbolsFor("binance")).containsExactly("BTC/USDT", "ETH/USDT");
  }

  @Test
  void environmentUrlAndMarketOverridesApply() {
    JsonObject cfg =
        base()
            .put(
                "sources",
                new JsonObject()
                    .put(
                        "binance",
                        new JsonObject()
                            .put("url", "http://127.0.0.1:19001")
                            .put("markets", new JsonObject().put("ETH/USDT", false)))
                    .put(
                        "coinbase",
                        new JsonObject()
                            .put(
                                "markets",
                                new JsonObject()
                                    .put(
                                        "BTC/USDT",
                                        new JsonObject()
                                            .put("id", "BTC-USD")
                                            .put("quote", "USD")))));
    IngestionSettings s = AppSettings.from(cfg).ingestion();
    SourceSettings binance = s.sources().get(0);
    assertThat(binance.url()).isEqualTo("http://127.0.0.1:19001");
    assertThat(binance.marketMap(s.symbols()).lists("ETH/USDT")).isFalse();
    assertThat(s.sources().get(1).marketMap(s.symbols()).market("BTC/USDT"))
        .isEqualTo(new Market("BTC-USD", "USD"));
  }

  @Test
  void badKeysFailAtStartNamingTheKey() {
    assertThatThrownBy(
            () -> AppSettings.from(base().put("ingestion", new JsonObject().put("intervalMs", 0))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.intervalMs");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base().put("sources", new JsonObject().put("binanse", new JsonObject()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.binanse");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "sources",
                            new JsonObject().put("okx", new JsonObject().put("url", "ftp://x")))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.okx.url");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "sources",
                            new JsonObject()
                                .put(
                                    "kraken",
                                    new JsonObject()
                                        .put(
                                            "rateLimit",
                                            new JsonObject().put("requestsPerSecond", "lots"))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.kraken.rateLimit.requestsPerSecond");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "sources",
                            new JsonObject()
                                .put(
                                    "uniswap",
                                    new JsonObject()
                                        .put(
                                            "pools",
                                            new JsonObject()
                                                .put(
                                                    "ETH/USDT",
                                                    new JsonObject()
                                                        .put("address", "0x12")
                                                        .put("token0Decimals", 18)
                                                        .put("token1Decimals", 6)))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.uniswap.pools.ETH/USDT.address");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "ingestion",
                            new JsonObject()
                                .put("rates", new JsonObject().put("USDT/KRW", "bithumb")))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.rates.USDT/KRW");
  }
}
