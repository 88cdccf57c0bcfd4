package oracle.common;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Creates the pooled Redis clients the verticles use. */
public final class RedisFactory {
  private RedisFactory() {}

  public static Redis create(Vertx vertx, String url) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(10_000)
        .setMaxWaitingHandlers(100_000));
  }
}
