package oracle.common;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Creates the Redis clients the verticles use, from {@code redis://host:port/db} (standalone) or
 * {@code redis-sentinel://host:port[,host:port…]/db?master=NAME} (through Sentinel: the client asks
 * the sentinels for the master and follows a failover to the promoted replica).
 */
public final class RedisFactory {
  public static final String SENTINEL_SCHEME = "redis-sentinel";

  private RedisFactory() {}

  public static Redis create(Vertx vertx, String url) {
    return Redis.createClient(
        vertx,
        options(url).setMaxPoolSize(8).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000));
  }

  /** A single-connection client (pub/sub). */
  public static Redis createSingle(Vertx vertx, String url) {
    return Redis.createClient(vertx, options(url).setMaxPoolSize(1));
  }

  /**
   * Connection options for either form; a malformed sentinel URL fails with a message naming the
   * part.
   */
  public static RedisOptions options(String url) {
    if (!url.startsWith(SENTINEL_SCHEME + "://"))
      return new RedisOptions().setConnectionString(url);
    Sentinel s = Sentinel.parse(url);
    RedisOptions options =
        new RedisOptions()
            .setType(RedisClientType.SENTINEL)
            .setMasterName(s.master())
            .setRole(RedisRole.MASTER)
            .setAutoFailover(true);
    for (String hostPort : s.hosts())
      options.addConnectionString("redis://" + hostPort + "/" + s.db());
    return options;
  }

  /** A parsed {@code redis-sentinel://} URL. */
  public record Sentinel(java.util.List<String> hosts, int db, String master) {
    public static Sentinel parse(String url) {
      String rest = url.substring((SENTINEL_SCHEME + "://").length());
      String query = "";
      int q = rest.indexOf('?');
      if (q >= 0) {
        query = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
      int slash = rest.indexOf('/');
      String hostList = slash >= 0 ? rest.substring(0, slash) : rest;
      String dbPart = slash >= 0 ? rest.substring(slash + 1) : "";
      java.util.List<String> hosts = new java.util.ArrayList<>();
      for (String h : hostList.split(",")) {
        if (!h.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}"))
          throw new IllegalArgumentException("sentinel address '" + h + "' is not host:port");
        hosts.add(h);
      }
      int db;
      try {
        db = dbPart.isEmpty() ? 0 : Integer.parseInt(dbPart);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("database '" + dbPart + "' is not a number");
      }
      if (db < 0 || db > 15)
        throw new IllegalArgumentException("database " + db + " is not in [0, 15]");
      String master = null;
      for (String kv : query.split("&")) {
        if (kv.startsWith("master="))
          master = URLDecoder.decode(kv.substring("master=".length()), StandardCharsets.UTF_8);
      }
      if (master == null || master.isBlank())
        throw new IllegalArgumentException("the master name is missing (?master=NAME)");
      return new Sentinel(java.util.List.copyOf(hosts), db, master);
    }
  }
}
