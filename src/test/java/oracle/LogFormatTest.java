package oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import oracle.config.ConfigException;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  @Test
  void jsonForTheServerTextForDevUnlessChosen() {
    assertThat(LogFormat.choose(Map.of(), false)).isEqualTo("json");
    assertThat(LogFormat.choose(Map.of(), true)).isEqualTo("text");
    assertThat(LogFormat.choose(Map.of("ORACLE_LOG_FORMAT", " "), true)).isEqualTo("text");
    assertThat(LogFormat.choose(Map.of("ORACLE_LOG_FORMAT", "text"), false)).isEqualTo("text");
    assertThat(LogFormat.choose(Map.of("ORACLE_LOG_FORMAT", "json"), true)).isEqualTo("json");
  }

  @Test
  void anyOtherValueIsAConfigErrorNamingTheVariable() {
    assertThatThrownBy(() -> LogFormat.choose(Map.of("ORACLE_LOG_FORMAT", "pretty"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: ORACLE_LOG_FORMAT: expected text or json, got 'pretty'");
  }

  /** logback.xml names its appenders after the values, so every value has one. */
  @Test
  void logbackHasAnAppenderPerValue() throws Exception {
    String xml =
        new String(
            LogFormatTest.class.getResourceAsStream("/logback.xml").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(xml)
        .contains("<appender name=\"json\"")
        .contains("<appender name=\"text\"")
        .contains("<appender-ref ref=\"${ORACLE_LOG_FORMAT:-json}\"/>");
  }
}
