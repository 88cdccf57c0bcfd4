package oracle.deploy;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import oracle.http.ApiTestEnv;
import oracle.http.H1Env;
import org.junit.jupiter.api.Test;

/**
 * Redeploying the HTTP verticle while keep-alive clients hammer it drops no request: every request
 * a client sends gets its answer (the new listener is up before the old one drains, in-flight
 * requests finish, idle connections are closed without racing a request). Port 16510, Redis DB 10.
 */
class HttpRedeployUnderLoadTest {
  static final int PORT = 16510;
  static final int CLIENTS = 16;

  @Test
  void noRequestIsDroppedAcrossRedeploys() throws Exception {
    Vertx vertx = ApiTestEnv.vertx();
    Vertx clients = Vertx.vertx();
    try {
      JsonObject config =
          H1Env.config(H1Env.REDIS_DB).put("http", new JsonObject().put("port", PORT));
      VerticleRegistry registry =
          new VerticleRegistry(vertx, config).addOverlapping("http", Verticles.of(config)::http, 1);
      await(registry.deployAll());
      HttpClient http =
          clients.createHttpClient(
              new HttpClientOptions()
                  .setKeepAlive(true)
                  .setDefaultPort(PORT)
                  .setDefaultHost("127.0.0.1"),
              new PoolOptions().setHttp1MaxSize(CLIENTS));
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong ok = new AtomicLong();
      Map<String, Integer> failures = new ConcurrentHashMap<>();
      Promise<Void>[] done = new Promise[CLIENTS];
      for (int i = 0; i < CLIENTS; i++) {
        done[i] = Promise.promise();
        Promise<Void> finished = done[i];
        clients.runOnContext(v -> loop(http, running, ok, failures, finished));
      }
      Thread.sleep(500);
      for (int i = 0; i < 3; i++) {
        String before = registry.deploymentId("http");
        await(registry.redeploy("http"));
        assertThat(registry.deploymentId("http")).isNotEqualTo(before);
        Thread.sleep(400);
      }
      running.set(false);
      for (Promise<Void> p : done) await(p.future());
      System.out.println("redeploy under load: " + ok.get() + " answered, failures " + failures);
      assertThat(ok.get()).isGreaterThan(500);
      assertThat(failures).isEmpty();
    } finally {
      await(clients.close());
      await(vertx.close());
    }
  }

  private static void loop(
      HttpClient http,
      AtomicBoolean running,
      AtomicLong ok,
      Map<String, Integer> failures,
      Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    Future<Integer> status =
        http.request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setURI("/api/v1/market/symbols")
                    .setIdleTimeout(5_000))
            .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
    status.onComplete(
        ar -> {
          if (ar.succeeded() && ar.result() == 200) ok.incrementAndGet();
          else
            failures.merge(
                ar.succeeded() ? "status " + ar.result() : String.valueOf(ar.cause()),
                1,
                Integer::sum);
          loop(http, running, ok, failures, done);
        });
  }
}
