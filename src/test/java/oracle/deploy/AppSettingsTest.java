package oracle.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import oracle.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppSettingsTest {

  @Test
  void defaultsApplyToAnEmptyFile() {
    AppSettings c = AppSettings.from(new JsonObject());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.stores().redisUrl()).isEqualTo(oracle.common.StoreSettings.DEFAULT_REDIS_URL);
    assertThat(c.stores().pgUrl()).isEqualTo(oracle.common.StoreSettings.DEFAULT_PG_URL);
    assertThat(c.leader().ttlMs()).isEqualTo(30_000);
    assertThat(c.leader().heartbeatMs()).isEqualTo(10_000);
    assertThat(c.instanceId()).isNotBlank();
    assertThat(c.adminToken()).isEmpty();
    assertThat(c.rateLimit()).isEqualTo(100);
  }

  @Test
  void environmentOverridesTheFile() {
    JsonObject file =
        new JsonObject()
            .put("http", new JsonObject().put("port", 9000))
            .put("symbols", new JsonArray().add("BTC/USDT"));
    Map<String, String> env =
        Map.of(
            "ORACLE_HTTP_PORT", "8181",
            "ORACLE_INSTANCE_ID", "node-7",
            "ORACLE_REDIS_URL", "redis://10.0.0.1:6380/2",
            "ORACLE_PG_URL", "postgresql://u:p@db:5432/oracle",
            "ORACLE_SYMBOLS", "ETH/USDT, SOL/USDT",
            "ORACLE_EXCHANGES", "binance,uniswap",
            "ORACLE_BINANCE_URL", "http://127.0.0.1:19001",
            "ORACLE_ADMIN_TOKEN", "s3cret-admin-token-0123456789",
            "ORACLE_RATE_LIMIT", "250");
    AppSettings c = AppSettings.from(AppSettings.withEnvironment(file, env));
    assertThat(c.httpPort()).isEqualTo(8181);
    assertThat(c.instanceId()).isEqualTo("node-7");
    assertThat(c.stores().redisUrl()).isEqualTo("redis://10.0.0.1:6380/2");
    assertThat(c.stores().pgUrl()).isEqualTo("postgresql://u:p@db:5432/oracle");
    assertThat(c.symbols()).containsExactly("ETH/USDT", "SOL/USDT");
    assertThat(c.exchanges()).containsExactly("binance", "uniswap");
    assertThat(c.json().getJsonObject("sources").getJsonObject("binance").getString("url"))
        .isEqualTo("http://127.0.0.1:19001");
    assertThat(c.adminToken()).contains("s3cret-admin-token-0123456789");
    assertThat(c.rateLimit()).isEqualTo(250);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ORACLE_HTTP_PORT|eighty|http.port: expected an integer in [0, 65535], got 'eighty'",
        "ORACLE_HTTP_PORT|70000|http.port: expected an integer in [0, 65535], got '70000'",
        "ORACLE_REDIS_URL|localhost:6379|redis.url: expected a URL with scheme redis or rediss or unix",
        "ORACLE_PG_URL|mysql://x/y|postgres.url: expected a URL with scheme postgresql or postgres",
        "ORACLE_SYMBOLS|BTCUSDT|symbols: expected canonical symbols like BTC/USDT, got 'BTCUSDT'",
        "ORACLE_EXCHANGES|binance,mtgox|exchanges: expected sources among",
        "ORACLE_RATE_LIMIT|0|rateLimit.requests: expected an integer in [1, 10000000], got '0'",
        "ORACLE_REDIS_URL|redis-sentinel://10.0.0.1:26379/0|redis.url: expected redis-sentinel://host:port[,host:port...]/db?master=NAME (the master name is missing",
        "ORACLE_REDIS_URL|redis-sentinel://10.0.0.1/0?master=m|redis.url: expected redis-sentinel://host:port[,host:port...]/db?master=NAME (sentinel address '10.0.0.1' is not host:port",
        "ORACLE_REDIS_URL|redis-sentinel://a:1/x?master=m|database 'x' is not a number",
      })
  void badValuesNameTheKey(String variable, String value, String message) {
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    AppSettings.withEnvironment(new JsonObject(), Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void eachVerticleGetsItsPartOfTheOneValidatedConfiguration() {
    AppSettings c =
        AppSettings.from(
            new JsonObject()
                .put("flush", new JsonObject().put("graceMs", 7_000))
                .put("ingestion", new JsonObject().put("stalenessMs", 4_000))
                .put("simulated", true));
    assertThat(c.ingestion().aggregation(c.flush().graceMs()).graceMs()).isEqualTo(7_000);
    assertThat(c.http().stalenessMs()).isEqualTo(4_000);
    assertThat(c.http().simulated()).isTrue();
    assertThat(c.http().symbols()).isEqualTo(c.symbols());
    assertThatThrownBy(() -> AppSettings.from(new JsonObject().put("simulated", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("simulated: expected true or false, got 'yes'");
  }

  @Test
  void aSentinelUrlNamesEverySentinelTheDatabaseAndTheMaster() {
    AppSettings c =
        AppSettings.from(
            AppSettings.withEnvironment(
                new JsonObject(),
                Map.of(
                    "ORACLE_REDIS_URL",
                    "redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/3?master=oracle")));
    assertThat(c.stores().redisUrl()).startsWith("redis-sentinel://");
    io.vertx.redis.client.RedisOptions o =
        oracle.common.RedisFactory.options(c.stores().redisUrl());
    assertThat(o.getType()).isEqualTo(io.vertx.redis.client.RedisClientType.SENTINEL);
    assertThat(o.getMasterName()).isEqualTo("oracle");
    assertThat(o.getEndpoints())
        .containsExactly("redis://10.0.0.1:26379/3", "redis://10.0.0.2:26380/3");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"flush\": {\"intervalMs\": \"abc\"}}|flush.intervalMs: expected an integer in [50, 3600000], got 'abc'",
        "{\"flush\": {\"maxRowsPerPass\": 0}}|flush.maxRowsPerPass: expected an integer in [1, 10000000], got '0'",
        "{\"backfill\": {\"windowMinutes\": -5}}|backfill.windowMinutes: expected an integer in [5, 525600], got '-5'",
        "{\"storage\": {\"flavor\": \"mysql\"}}|storage.flavor: expected auto, plain or timescale, got 'mysql'",
        "{\"http\": {\"cache\": {\"megabytes\": -1}}}|http.cache.megabytes: expected an integer in [0, 65536], got '-1'",
        "{\"rateLimit\": {\"trustedProxies\": [\"not-an-ip\"]}}|rateLimit.trustedProxies",
      })
  void everySectionIsCheckedBeforeAnythingStarts(String file, String message) {
    assertThatThrownBy(() -> AppSettings.from(new JsonObject(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void heartbeatMustLeaveRoomToRenewWithinTheLease() {
    JsonObject json =
        new JsonObject()
            .put("leader", new JsonObject().put("ttlMs", 10_000).put("heartbeatMs", 8_000));
    assertThatThrownBy(() -> AppSettings.from(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "leader.heartbeatMs: expected at most half of leader.ttlMs (10000), got '8000'");
  }

  @Test
  void wrongTypeOfSectionIsNamed() {
    assertThatThrownBy(() -> AppSettings.from(new JsonObject().put("leader", "fast")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("leader: expected an object");
  }
}
