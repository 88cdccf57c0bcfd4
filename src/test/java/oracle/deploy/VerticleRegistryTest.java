package oracle.deploy;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Named deployments: listing, redeploying (overlapping or not) with a verticle made anew from the
 * current settings, unknown names.
 */
class VerticleRegistryTest {
  private final Vertx vertx = Vertx.vertx();

  /** "start name version" / "stop name version" in the order they happened. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** The settings a verticle made now gets (what {@code Verticles} reads from the settings). */
  private final AtomicInteger version = new AtomicInteger(1);

  private final class Recorder extends VerticleBase {
    private final String name;
    private final int madeWith = version.get();

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public Future<?> start() {
      assertThat(config().isEmpty()).as("settings come through the constructor only").isTrue();
      events.add("start " + name + " " + madeWith);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      events.add("stop " + name + " " + madeWith);
      return Future.succeededFuture();
    }
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void redeploysWithTheCurrentConfigurationOverlappingOnlyWhereAsked() {
    VerticleRegistry registry =
        new VerticleRegistry(vertx, new JsonObject().put("version", 1))
            .add("worker", () -> new Recorder("worker"), 1)
            .addOverlapping("http", () -> new Recorder("http"), 1);
    assertThat(registry.describe().getJsonObject(0).getValue("deploymentId"))
        .as("listed before it runs")
        .isNull();
    assertThat(registry.describe().getJsonObject(0).getValue("since")).isNull();
    assertThat(registry.deploymentId("worker")).isNull();
    assertThat(registry.has("worker")).isTrue();
    assertThat(registry.has("nope")).isFalse();
    assertThatThrownBy(() -> await(registry.redeploy("nope")))
        .hasMessageContaining("unknown verticle: nope");

    await(registry.deployAll());
    String http1 = registry.deploymentId("http");
    String digest1 = registry.describe().getJsonObject(1).getString("configDigest");
    assertThat(registry.names()).containsExactly("worker", "http");
    assertThat(events).containsExactly("start worker 1", "start http 1");

    registry.updateConfig(new JsonObject().put("version", 2));
    version.set(2);
    events.clear();
    String http2 = await(registry.redeploy("http"));
    assertThat(events)
        .as("overlapping: the new one starts before the old one stops")
        .containsExactly("start http 2", "stop http 1");
    assertThat(http2).isNotEqualTo(http1).isEqualTo(registry.deploymentId("http"));
    assertThat(vertx.deploymentIDs()).doesNotContain(http1);
    assertThat(registry.describe().getJsonObject(1).getString("configDigest"))
        .isNotEqualTo(digest1);

    events.clear();
    await(registry.redeploy("worker"));
    assertThat(events)
        .as("not overlapping: stop, then start")
        .containsExactly("stop worker 1", "start worker 2");

    events.clear();
    await(registry.undeployAll());
    // (after a redeploy the order is the reverse of the latest deployments, not
    // of the registry's order)
    assertThat(events).containsExactlyInAnyOrder("stop http 2", "stop worker 2");
    assertThat(registry.deploymentId("http")).isNull();
    events.clear();
    String again = await(registry.redeploy("http"));
    assertThat(again).as("an overlapping entry not running is simply deployed").isNotNull();
    assertThat(events).containsExactly("start http 2");
    assertThat(registry.currentConfig().getInteger("version")).isEqualTo(2);
  }
}
