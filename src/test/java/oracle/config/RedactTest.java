package oracle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import oracle.deploy.AppSettings;
import org.junit.jupiter.api.Test;

/** A configuration error quotes the bad value, but never a password in it. */
class RedactTest {
  @Test
  void aMalformedPostgresUrlFromTheEnvironmentIsReportedWithoutItsPassword() {
    JsonObject json =
        AppSettings.withEnvironment(
            new JsonObject(), Map.of("ORACLE_PG_URL", "postgresql://oracle:s3cr@t pw@db host/x"));
    assertThatThrownBy(() -> AppSettings.from(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("postgres.url")
        .hasMessageContaining("postgresql://oracle:***@db host/x")
        .hasMessageNotContaining("s3cr");
  }

  @Test
  void aRedisUrlWithABadSchemeAndAPasswordParameterAreRedacted() {
    JsonObject json =
        new JsonObject()
            .put("redis", new JsonObject().put("url", "http://:hunter2@r:6379/0"))
            .put("postgres", new JsonObject().put("url", "postgresql://db/x?user=o&password=pw1"));
    assertThatThrownBy(() -> AppSettings.from(json))
        .hasMessageContaining("http://:***@r:6379/0")
        .hasMessageNotContaining("hunter2");
    assertThat(new ConfigException("postgres.readUrl", "a URL", "pg://h/d?password=pw1&ssl=1"))
        .hasMessageContaining("?password=***&ssl=1");
  }

  @Test
  void urlsInFreeTextAndTheirEdgeCases() {
    assertThat(Redact.secrets("cannot reach redis-sentinel://:pw@h1:1,h2:2/0?master=m, retrying"))
        .isEqualTo("cannot reach redis-sentinel://:***@h1:1,h2:2/0?master=m, retrying");
    assertThat(Redact.secrets("postgresql://u:p/a@ss:w@h:5432/d"))
        .isEqualTo("postgresql://u:***@h:5432/d");
    assertThat(Redact.secrets("postgresql://user@h/d and redis://h:6379"))
        .isEqualTo("postgresql://user@h/d and redis://h:6379");
    assertThat(Redact.secrets("host=h password=x dbname=d"))
        .isEqualTo("host=h password=*** dbname=d");
    assertThat(Redact.secrets(null)).isNull();
  }
}
