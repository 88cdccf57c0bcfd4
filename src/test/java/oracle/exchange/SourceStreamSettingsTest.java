package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import oracle.config.EnvironmentOverrides;
import oracle.exchange.registry.Exchanges;
import org.junit.jupiter.api.Test;

/** {@code sources.<name>.stream}, {@code wsUrl}, {@code streamSilenceMs} and the env override. */
class SourceStreamSettingsTest {

  private static SourceSettings read(String name, JsonObject section) {
    return Exchanges.settings(
        name,
        new ConfigReader(new JsonObject().put("sources", new JsonObject().put(name, section)))
            .section("sources")
            .section(name));
  }

  @Test
  void theSixCexStreamByDefaultOnTheirPublicEndpoints() {
    for (String cex : List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit")) {
      SourceSettings s = read(cex, new JsonObject());
      assertThat(s.stream()).as(cex).isTrue();
      assertThat(s.wsUrl()).as(cex).startsWith("wss://");
      assertThat(s.streamSilenceMs()).isEqualTo(SourceSettings.DEFAULT_STREAM_SILENCE_MS);
    }
    assertThat(read("binance", new JsonObject()).wsUrl())
        .isEqualTo("wss://stream.binance.com:9443/stream");
  }

  @Test
  void uniswapHasNoStreamAndRefusesOne() {
    SourceSettings s = read("uniswap", new JsonObject());
    assertThat(s.stream()).isFalse();
    assertThat(s.wsUrl()).isNull();
    assertThatThrownBy(() -> read("uniswap", new JsonObject().put("stream", true)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.uniswap.stream");
  }

  @Test
  void streamCanBeTurnedOffAndPointedElsewhere() {
    SourceSettings s =
        read(
            "coinbase",
            new JsonObject()
                .put("stream", false)
                .put("wsUrl", "ws://127.0.0.1:9999/")
                .put("streamSilenceMs", 500));
    assertThat(s.stream()).isFalse();
    assertThat(s.wsUrl()).isEqualTo("ws://127.0.0.1:9999/");
    assertThat(s.streamSilenceMs()).isEqualTo(500);
    assertThat(read("okx", new JsonObject().put("stream", "false")).stream()).isFalse();
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> read("binance", new JsonObject().put("stream", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.binance.stream");
    assertThatThrownBy(
            () -> read("binance", new JsonObject().put("wsUrl", "http://127.0.0.1:1/stream")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.binance.wsUrl");
    assertThatThrownBy(() -> read("kraken", new JsonObject().put("streamSilenceMs", 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.kraken.streamSilenceMs");
  }

  @Test
  void environmentOverridesTheStreamUrlAndLeavesTheRestUrl() {
    JsonObject config =
        EnvironmentOverrides.apply(
            new JsonObject(),
            Map.of(
                "ORACLE_KRAKEN_WS_URL", "ws://127.0.0.1:1234/v2",
                "ORACLE_KRAKEN_URL", "http://127.0.0.1:1233"),
            Exchanges.NAMES);
    SourceSettings s =
        Exchanges.settings("kraken", new ConfigReader(config).section("sources").section("kraken"));
    assertThat(s.wsUrl()).isEqualTo("ws://127.0.0.1:1234/v2");
    assertThat(s.url()).isEqualTo("http://127.0.0.1:1233");
  }

  @Test
  void krakenStreamNamesPairsByStandardAssets() {
    assertThat(Exchanges.stream("kraken").orElseThrow().marketId("XBTUSDT", "BTC", "USDT"))
        .isEqualTo("BTC/USDT");
    assertThat(Exchanges.stream("binance").orElseThrow().marketId("BTCUSDT", "BTC", "USDT"))
        .isEqualTo("BTCUSDT");
    assertThat(Exchanges.stream("uniswap")).isEmpty();
  }
}
