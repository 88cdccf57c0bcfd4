package oracle.http.stream;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.redis.client.Redis;
import java.util.List;
import oracle.common.Candle;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.http.ApiTestEnv;
import oracle.relay.CandleRelay;
import org.junit.jupiter.api.Test;

/**
 * SSE delivers an update published on ANOTHER instance: the leader publishes candles on the Redis
 * channel {@code oracle:candles}, and each instance's relay republishes them on its local event
 * bus.
 */
class CandleRelayStreamTest {

  @Test
  void sseDeliversAnUpdatePublishedOnAnotherInstance() {
    Vertx publisherSide = Vertx.vertx();
    Vertx apiSide = ApiTestEnv.vertx();
    try {
      ApiTestEnv.createSchema(ApiTestEnv.pg(apiSide));
      int port = freePort();
      AppSettings config =
          AppSettings.from(
              ApiTestEnv.config()
                  .put("http", new io.vertx.core.json.JsonObject().put("port", port)));
      // The whole instance, so whichever verticle hosts the relay once merged is running.
      OracleDeployment deployment = new OracleDeployment(apiSide, config);
      await(deployment.start());

      Candle candle =
          new Candle(
              "SOL/USDT",
              System.currentTimeMillis() / 60_000 * 60,
              150,
              151,
              149,
              150.5,
              12,
              System.currentTimeMillis(),
              0);
      Promise<Void> delivered = Promise.promise();
      StringBuilder received = new StringBuilder();
      HttpClient http = apiSide.createHttpClient();
      await(
          http.request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setPort(port)
                      .setHost("127.0.0.1")
                      .setURI("/api/v1/market/stream?symbol=SOL/USDT"))
              .compose(req -> req.send())
              .map(
                  resp -> {
                    resp.handler(
                        chunk -> {
                          received.append(chunk);
                          if (received.indexOf(
                                  "event: candle\ndata: "
                                      + candle.toJson().encode().replaceFirst("}$", ","))
                              >= 0) delivered.tryComplete();
                        });
                    return resp;
                  }));

      // Another instance (its own Vertx, its own Redis connection) publishes until the relay passes
      // it on.
      Redis redis = ApiTestEnv.redis(publisherSide);
      long timer =
          publisherSide.setPeriodic(
              100,
              id -> redis.send(CandleRelay.publishRequest("another-instance", List.of(candle))));
      await(delivered.future().timeout(15, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty());
      publisherSide.cancelTimer(timer);
      assertThat(received.toString())
          .contains("event: candle\ndata: " + candle.toJson().encode().replaceFirst("}$", ","));
      await(deployment.stop());
    } finally {
      await(publisherSide.close());
      await(apiSide.close());
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
