package oracle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every typed read: defaults, the string forms env variables give, and a ConfigException naming the
 * full key.
 */
class ConfigReaderTest {
  private static ConfigReader flush(JsonObject section) {
    return new ConfigReader(new JsonObject().put("flush", section)).section("flush");
  }

  private static void rejects(Runnable read, String key, String expected, String got) {
    assertThatThrownBy(read::run)
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid configuration: " + key + ": expected " + expected + ", got " + got);
  }

  @Test
  void aMissingDocumentOrSectionGivesTheDefaults() {
    ConfigReader none = new ConfigReader(null);
    assertThat(none.section("redis").string("url", "redis://x:1")).isEqualTo("redis://x:1");
    assertThat(none.section("redis").key("url")).isEqualTo("redis.url");
    assertThat(none.has("redis")).isFalse();
    rejects(
        () -> new ConfigReader(new JsonObject().put("redis", "text")).section("redis"),
        "redis",
        "an object",
        "'text'");
  }

  @Test
  void stringsMustBeStringsAndRequiredOnesNonEmpty() {
    ConfigReader r = flush(new JsonObject().put("name", "a").put("blank", " ").put("number", 3));
    assertThat(r.requiredString("name")).isEqualTo("a");
    rejects(() -> r.string("number", null), "flush.number", "a string", "'3'");
    rejects(() -> r.requiredString("blank"), "flush.blank", "a non-empty string", "' '");
    rejects(() -> r.requiredString("absent"), "flush.absent", "a non-empty string", "nothing");
  }

  @Test
  void integersFromNumbersOrStringsWithinTheirRange() {
    ConfigReader r =
        flush(
            new JsonObject()
                .put("a", 5)
                .put("b", " 7 ")
                .put("c", 5.0)
                .put("d", 5.5)
                .put("e", "x")
                .put("f", true)
                .put("g", 11));
    assertThat(r.longValue("a", 0, 0, 10)).isEqualTo(5);
    assertThat(r.intValue("b", 0, 0, 10)).as("env values are strings").isEqualTo(7);
    assertThat(r.longValue("c", 0, 0, 10)).as("a whole double").isEqualTo(5);
    assertThat(r.longValue("absent", 3, 0, 10)).isEqualTo(3);
    rejects(() -> r.longValue("d", 0, 0, 10), "flush.d", "an integer in [0, 10]", "'5.5'");
    rejects(() -> r.longValue("e", 0, 0, 10), "flush.e", "an integer in [0, 10]", "'x'");
    rejects(() -> r.longValue("f", 0, 0, 10), "flush.f", "an integer in [0, 10]", "'true'");
    rejects(() -> r.longValue("g", 0, 0, 10), "flush.g", "an integer in [0, 10]", "'11'");
    rejects(() -> r.longValue("a", 0, 6, 10), "flush.a", "an integer in [6, 10]", "'5'");
  }

  @Test
  void numbersFromNumbersOrStringsWithinTheirRangeAndNeverNaN() {
    ConfigReader r =
        flush(
            new JsonObject()
                .put("a", 0.5)
                .put("b", "0.25")
                .put("c", "x")
                .put("d", false)
                .put("e", 2)
                .put("f", "NaN"));
    assertThat(r.doubleValue("a", 0, 0, 1)).isEqualTo(0.5);
    assertThat(r.doubleValue("b", 0, 0, 1)).isEqualTo(0.25);
    assertThat(r.doubleValue("absent", 0.75, 0, 1)).isEqualTo(0.75);
    rejects(() -> r.doubleValue("c", 0, 0, 1), "flush.c", "a number in [0.0, 1.0]", "'x'");
    rejects(() -> r.doubleValue("d", 0, 0, 1), "flush.d", "a number in [0.0, 1.0]", "'false'");
    rejects(() -> r.doubleValue("e", 0, 0, 1), "flush.e", "a number in [0.0, 1.0]", "'2'");
    rejects(() -> r.doubleValue("f", 0, 0, 1), "flush.f", "a number in [0.0, 1.0]", "'NaN'");
    rejects(
        () -> flush(new JsonObject().put("g", -1)).doubleValue("g", 0, 0, 1),
        "flush.g",
        "a number in [0.0, 1.0]",
        "'-1'");
  }

  @Test
  void listsAsJsonArraysOrCommaSeparatedStrings() {
    ConfigReader r =
        flush(
            new JsonObject()
                .put("a", " binance, ,okx ,")
                .put("b", new JsonArray().add(" kraken ").add("okx"))
                .put("c", new JsonArray().add("ok").add(""))
                .put("d", new JsonArray().add(3))
                .put("e", 3));
    assertThat(r.stringList("a", null)).containsExactly("binance", "okx");
    assertThat(r.stringList("b", null)).containsExactly("kraken", "okx");
    assertThat(r.stringList("absent", List.of("x"))).containsExactly("x");
    rejects(
        () -> r.stringList("c", null), "flush.c", "a list of non-empty strings", "'[\"ok\",\"\"]'");
    rejects(() -> r.stringList("d", null), "flush.d", "a list of non-empty strings", "'[3]'");
    rejects(() -> r.stringList("e", null), "flush.e", "a list of strings", "'3'");
  }

  @Test
  void urlsNeedAHostAndOneOfTheSchemes() {
    ConfigReader r =
        flush(
            new JsonObject()
                .put("a", "redis://h:6379/0")
                .put("b", "http://h:1")
                .put("c", "redis:///0")
                .put("d", "redis://h a"));
    assertThat(r.url("a", null, "redis", "rediss")).isEqualTo("redis://h:6379/0");
    assertThat(r.url("absent", null, "redis")).isNull();
    assertThat(r.url("absent", "rediss://d:1", "redis", "rediss")).isEqualTo("rediss://d:1");
    rejects(
        () -> r.url("b", null, "redis", "rediss"),
        "flush.b",
        "a URL with scheme redis or rediss",
        "'http://h:1'");
    rejects(() -> r.url("c", null, "redis"), "flush.c", "a URL with scheme redis", "'redis:///0'");
    rejects(() -> r.url("d", null, "redis"), "flush.d", "a URL with scheme redis", "'redis://h a'");
  }
}
