package oracle.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import oracle.dev.EmbeddedStores;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where the tests find Redis and PostgreSQL: {@code ORACLE_TEST_REDIS_URL} / {@code
 * ORACLE_TEST_PG_URL} when set; otherwise Testcontainers when a Docker engine exists; otherwise the
 * embedded Redis and PostgreSQL of dev mode ({@link EmbeddedStores}), started once per JVM on free
 * loopback ports with a throw-away data folder, so a machine with only a JDK and Maven runs every
 * store test.
 *
 * <p>Test areas are isolated by Redis database number and PostgreSQL database name so that suites
 * never see each other's keys or rows: leader 1, ingestion 2, storage 3, api 4, ops 5, app 6,
 * rolling restart 7.
 */
public final class TestEnv {
  public static final int REDIS_DB_LEADER = 1;
  public static final int REDIS_DB_INGESTION = 2;
  public static final int REDIS_DB_STORAGE = 3;
  public static final int REDIS_DB_API = 4;
  public static final int REDIS_DB_OPS = 5;
  public static final int REDIS_DB_APP = 6;

  /** The rolling-restart integration test (real processes). */
  public static final int REDIS_DB_ROLLING = 7;

  private static String redisBase;
  private static String pgBase;
  private static EmbeddedStores embedded;

  private TestEnv() {}

  /** {@code redis://host:port/<db>}. */
  public static synchronized String redisUrl(int db) {
    if (redisBase == null) {
      String env = System.getenv("ORACLE_TEST_REDIS_URL");
      if (env != null && !env.isBlank()) {
        redisBase = env.replaceAll("/\\d+$", "");
      } else if (dockerAvailable()) {
        GenericContainer<?> redis = new GenericContainer<>("redis:7").withExposedPorts(6379);
        redis.start();
        redisBase = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
      } else {
        redisBase = embedded().redisUrl(0).replaceAll("/\\d+$", "");
      }
    }
    return redisBase + "/" + db;
  }

  /** A URL for database {@code name}, created if missing (one database per test area). */
  public static synchronized String pgUrl(String name) {
    if (pgBase == null) {
      String env = System.getenv("ORACLE_TEST_PG_URL");
      if (env != null && !env.isBlank()) {
        pgBase = env;
      } else if (dockerAvailable()) {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:15");
        pg.start();
        pgBase =
            "postgresql://"
                + pg.getUsername()
                + ":"
                + pg.getPassword()
                + "@"
                + pg.getHost()
                + ":"
                + pg.getMappedPort(5432)
                + "/"
                + pg.getDatabaseName();
      } else {
        pgBase = embedded().pgUrl("postgres");
      }
    }
    createDatabaseIfMissing(name);
    return pgBase.replaceAll("/[^/?]+(\\?.*)?$", "/" + name + "$1");
  }

  private static final java.util.Set<String> MIGRATED = new java.util.HashSet<>();

  /**
   * A URL for database {@code name} with the oracle's schema migrated (once per JVM): needed by
   * anything that runs a leader election, whose fencing tokens the database issues.
   */
  public static synchronized String migratedPgUrl(String name) {
    String url = pgUrl(name);
    if (MIGRATED.add(name)) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = oracle.common.PgFactory.pool(vertx, url, 1);
        await(new oracle.storage.Migrator(pool).migrate());
        await(pool.close());
      } finally {
        await(vertx.close());
      }
    }
    return url;
  }

  /** Empties one Redis database. */
  public static void flushRedis(Vertx vertx, int db) {
    Redis redis = Redis.createClient(vertx, redisUrl(db));
    try {
      await(redis.send(Request.cmd(Command.FLUSHDB)));
    } finally {
      redis.close();
    }
  }

  private static void createDatabaseIfMissing(String name) {
    if (!name.matches("[a-z0-9_]+"))
      throw new IllegalArgumentException("bad test database name " + name);
    Vertx vertx = Vertx.vertx();
    try {
      Pool admin =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(1))
              .connectingTo(PgConnectOptions.fromUri(pgBase))
              .using(vertx)
              .build();
      boolean exists =
          await(
                      admin
                          .preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1")
                          .execute(io.vertx.sqlclient.Tuple.of(name)))
                  .size()
              > 0;
      if (!exists) {
        try {
          await(admin.query("CREATE DATABASE " + name).execute());
        } catch (RuntimeException e) {
          if (!String.valueOf(e.getMessage()).contains("already exists")) throw e;
        }
      }
      await(admin.close());
    } finally {
      await(vertx.close());
    }
  }

  public static JsonObject baseConfig(int redisDb, String pgDatabase) {
    return new JsonObject()
        .put("instanceId", "test-" + ProcessHandle.current().pid())
        .put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", redisUrl(redisDb)))
        .put(
            "postgres",
            new JsonObject().put("url", pgDatabase == null ? pgUrlNoCreate() : pgUrl(pgDatabase)));
  }

  private static String pgUrlNoCreate() {
    pgUrl("test"); // resolves the base (env, container or embedded) and makes sure "test" exists
    return pgBase.replaceAll("/[^/?]+(\\?.*)?$", "/test$1");
  }

  /** Dev mode's embedded stores, started at the first call, stopped when the JVM exits. */
  private static synchronized EmbeddedStores embedded() {
    if (embedded == null) {
      try {
        Path dir = Files.createTempDirectory("oracle-test-stores");
        System.out.println(
            "TestEnv: no ORACLE_TEST_* and no Docker: embedded Redis and PostgreSQL in " + dir);
        embedded = EmbeddedStores.start(dir);
        EmbeddedStores started = embedded;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      started.close();
                      try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                      } catch (IOException ignored) {
                        // a temp folder; the OS cleans it eventually
                      }
                    },
                    "test-stores-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return embedded;
  }

  public static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re ? re : new RuntimeException(c);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }
}
