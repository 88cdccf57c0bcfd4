package oracle.deploy;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracle's verticles, deployed in a fixed order and undeployed in the reverse order, each under
 * a name so operators can list and redeploy them.
 */
public final class VerticleRegistry {
  private static final Logger log = LoggerFactory.getLogger(VerticleRegistry.class);

  /**
   * One named verticle and how to make it. {@code overlap}: on redeploy, start the new deployment
   * before stopping the old one (safe only for stateless, every-instance verticles such as HTTP,
   * whose listeners share the port, so no accepted request is dropped).
   */
  public record Entry(
      String name, Supplier<? extends Deployable> factory, int instances, boolean overlap) {}

  private record Deployed(String id, long since, String digest) {}

  private final Vertx vertx;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Deployed> deployed = new LinkedHashMap<>();
  private JsonObject config;

  public VerticleRegistry(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
  }

  public VerticleRegistry add(String name, Supplier<? extends Deployable> factory, int instances) {
    entries.put(name, new Entry(name, factory, instances, false));
    return this;
  }

  public VerticleRegistry addOverlapping(
      String name, Supplier<? extends Deployable> factory, int instances) {
    entries.put(name, new Entry(name, factory, instances, true));
    return this;
  }

  /** Deploys every entry in order; stops at the first failure. */
  public Future<Void> deployAll() {
    Future<Void> chain = Future.succeededFuture();
    for (Entry e : entries.values()) {
      chain = chain.compose(v -> deploy(e));
    }
    return chain;
  }

  /** Undeploys in reverse order; a failure to stop one does not keep the others running. */
  public Future<Void> undeployAll() {
    List<String> names = new ArrayList<>(deployed.keySet());
    java.util.Collections.reverse(names);
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.eventually(() -> undeploy(name));
    }
    return chain;
  }

  /** Redeploys one verticle with the current configuration; answers its new deployment id. */
  public Future<String> redeploy(String name) {
    Entry e = entries.get(name);
    if (e == null)
      return Future.failedFuture(new IllegalArgumentException("unknown verticle: " + name));
    Deployed old = deployed.get(name);
    if (e.overlap() && old != null) {
      return deploy(e).compose(v -> vertx.undeploy(old.id())).map(v -> deployed.get(name).id());
    }
    return undeploy(name).compose(v -> deploy(e)).map(v -> deployed.get(name).id());
  }

  public JsonObject currentConfig() {
    return config;
  }

  /** Replaces the configuration given to verticles deployed from now on. */
  public void updateConfig(JsonObject newConfig) {
    this.config = newConfig;
  }

  public boolean has(String name) {
    return entries.containsKey(name);
  }

  /** Names in deployment order. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  public String deploymentId(String name) {
    Deployed d = deployed.get(name);
    return d == null ? null : d.id();
  }

  public JsonArray describe() {
    JsonArray out = new JsonArray();
    for (Entry e : entries.values()) {
      Deployed d = deployed.get(e.name());
      out.add(
          new JsonObject()
              .put("name", e.name())
              .put("deploymentId", d == null ? null : d.id())
              .put("instances", e.instances())
              .put("since", d == null ? null : java.time.Instant.ofEpochMilli(d.since()).toString())
              .put("configDigest", d == null ? null : d.digest()));
    }
    return out;
  }

  private Future<Void> deploy(Entry e) {
    // No deployment config: each verticle gets its settings through its constructor, and Vert.x
    // copies a deployment's config into every context it makes for it (the HTTP client makes one
    // per connection), which with the whole market's symbol list in it was measurable.
    DeploymentOptions options = new DeploymentOptions().setInstances(e.instances());
    return vertx
        .deployVerticle(e.factory(), options)
        .onSuccess(
            id -> {
              deployed.put(e.name(), new Deployed(id, System.currentTimeMillis(), digest(config)));
              log.info("deployed {} ({} instance(s)) as {}", e.name(), e.instances(), id);
            })
        .mapEmpty();
  }

  private Future<Void> undeploy(String name) {
    Deployed d = deployed.remove(name);
    if (d == null) return Future.succeededFuture();
    return vertx.undeploy(d.id()).onSuccess(v -> log.info("undeployed {}", name));
  }

  static String digest(JsonObject config) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(config.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
