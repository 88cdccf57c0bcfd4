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

  /** logback.xml includes logback-<value>.xml, so every value has a console appender. */
  @Test
  void logbackHasAFilePerValue() throws Exception {
    assertThat(read("/logback.xml"))
        .contains("<include resource=\"logback-${ORACLE_LOG_FORMAT:-json}.xml\"/>")
        .contains("<appender-ref ref=\"CONSOLE\"/>");
    assertThat(read("/logback-json.xml")).contains("JsonEncoder").contains("name=\"CONSOLE\"");
    assertThat(read("/logback-text.xml")).contains("<pattern>").contains("name=\"CONSOLE\"");
  }

  private static String read(String resource) throws Exception {
    try (var in = LogFormatTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
