package oracle.leader;

import static oracle.support.TestEnv.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oracle.common.Addresses;
import oracle.deploy.Verticles;
import oracle.support.TcpProxy;
import oracle.support.TestEnv;

/**
 * Several leader verticles, each in its own Vert.x instance (as in separate processes), each
 * reaching Redis through its own cuttable proxy, with every elected/revoked signal recorded on one
 * timeline.
 */
final class LeaderCluster implements AutoCloseable {
  /** One signal as published: who, what, which token, and when (publisher's clock, ms). */
  record Signal(String instanceId, boolean elected, long token, long at) {}

  /** One term of leadership: [from, to) on the publishers' clock; to = MAX when still leading. */
  record Term(String instanceId, long token, long from, long to) {}

  final class Instance {
    final String id;
    final Vertx vertx = Vertx.vertx();
    final TcpProxy proxy;
    String deploymentId;

    Instance(String id) {
      this.id = id;
      URI redis = URI.create(TestEnv.redisUrl(TestEnv.REDIS_DB_LEADER));
      proxy = new TcpProxy(vertx, redis.getHost(), redis.getPort());
      int port = await(proxy.start());
      ownConfig =
          config
              .copy()
              .put("instanceId", id)
              .put(
                  "redis",
                  new JsonObject()
                      .put("url", "redis://127.0.0.1:" + port + "/" + TestEnv.REDIS_DB_LEADER));
      vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_ELECTED, m -> record(m.body(), true));
      vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_REVOKED, m -> record(m.body(), false));
    }

    private final JsonObject ownConfig;

    void deploy() {
      deploymentId =
          await(
              vertx.deployVerticle(
                  Verticles.of(ownConfig).leader(), new DeploymentOptions().setConfig(ownConfig)));
    }

    void undeploy() {
      await(vertx.undeploy(deploymentId));
      deploymentId = null;
    }

    JsonObject status() {
      return await(vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, null)).body();
    }
  }

  private final JsonObject config;
  private final List<Signal> signals = new ArrayList<>();
  final List<Instance> instances = new ArrayList<>();

  LeaderCluster(long ttlMs, long heartbeatMs, long retryMs) {
    this.config =
        new JsonObject()
            .put(
                "leader",
                new JsonObject()
                    .put("ttlMs", ttlMs)
                    .put("heartbeatMs", heartbeatMs)
                    .put("retryMs", retryMs))
            .put("postgres", new JsonObject().put("url", pgUrl()));
  }

  /** The database that issues the cluster's fencing tokens (migrated by the test). */
  static String pgUrl() {
    return TestEnv.pgUrl("oracle_leader");
  }

  Instance add(String id) {
    Instance i = new Instance(id);
    instances.add(i);
    return i;
  }

  private synchronized void record(JsonObject body, boolean elected) {
    signals.add(
        new Signal(
            body.getString("instanceId"),
            elected,
            body.getLong("fencingToken"),
            body.getLong("at")));
  }

  synchronized List<Signal> signals() {
    return List.copyOf(signals);
  }

  /** The terms in election order, closed by the holder's revoked signal. */
  synchronized List<Term> terms() {
    List<Term> terms = new ArrayList<>();
    for (Signal s : signals) {
      if (s.elected()) {
        terms.add(new Term(s.instanceId(), s.token(), s.at(), Long.MAX_VALUE));
      } else {
        for (int i = terms.size() - 1; i >= 0; i--) {
          Term t = terms.get(i);
          if (t.instanceId().equals(s.instanceId())
              && t.token() == s.token()
              && t.to() == Long.MAX_VALUE) {
            terms.set(i, new Term(t.instanceId(), t.token(), t.from(), s.at()));
            break;
          }
        }
      }
    }
    return terms;
  }

  /** The instance whose term is open, if any. */
  Optional<Term> currentTerm() {
    List<Term> terms = terms();
    return terms.stream().filter(t -> t.to() == Long.MAX_VALUE).reduce((a, b) -> b);
  }

  Instance byId(String id) {
    return instances.stream().filter(i -> i.id.equals(id)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    for (Instance i : instances) {
      await(i.vertx.close());
    }
  }
}
