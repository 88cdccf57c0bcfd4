package oracle.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * {@code /health}'s {@code flush} object: the flush verticle's status without what the body says at
 * its top level ({@code flushLagSeconds} once, {@code leader} once), milliseconds also under a
 * {@code *Ms} name. Pure: the status is the one {@code FlushVerticle.status()} answers.
 */
class HealthFlushFieldsTest {
  @Test
  void lagAndLeaderAreNotRepeatedAndMillisecondsAreNamedSo() {
    JsonObject status =
        new JsonObject()
            .put("leader", true)
            .put("lagSeconds", 7)
            .put("lastFlushAt", 1_796_637_600_123L)
            .put("lastError", null)
            .put("rowsFlushed", 42)
            .put("backlog", 0);

    JsonObject flush = HealthHandler.flushDetails(status);

    assertThat(flush.fieldNames())
        .containsExactlyInAnyOrder(
            "lastFlushAt", "lastFlushAtMs", "lastError", "rowsFlushed", "backlog");
    assertThat(flush.getLong("lastFlushAtMs")).isEqualTo(1_796_637_600_123L);
    assertThat(flush.getLong("lastFlushAt")).isEqualTo(1_796_637_600_123L);
    assertThat(status.getInteger("lagSeconds"))
        .as("the verticle's own status is untouched")
        .isEqualTo(7);
    JsonObject health = new JsonObject().put("flushLagSeconds", 7).put("flush", flush);
    assertThat(health.encode().split("agSeconds", -1)).as(health.encode()).hasSize(2);
  }

  @Test
  void beforeTheFirstFlushBothNamesAreNull() {
    JsonObject flush =
        HealthHandler.flushDetails(
            new JsonObject().put("leader", false).put("lagSeconds", 0).putNull("lastFlushAt"));
    assertThat(flush.containsKey("lastFlushAtMs")).isTrue();
    assertThat(flush.getValue("lastFlushAtMs")).isNull();
  }
}
