package oracle.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Redis and PostgreSQL as child processes of this JVM, on free loopback ports: the dev mode's
 * stores, and the tests' last resort when neither {@code ORACLE_TEST_*} nor Docker is there.
 *
 * <ul>
 *   <li>Redis: the redis-server binary bundled in {@code com.github.codemonstur:embedded-redis}
 *       ({@link EmbeddedRedis}), without persistence (nothing in Redis outlives the process;
 *       history is PostgreSQL's).
 *   <li>PostgreSQL 16: zonky's binaries, data in {@code <dir>/pg}, kept across starts. PostgreSQL
 *       refuses to run as root; zonky then runs initdb and pg_ctl through {@code unshare -U} (a
 *       user namespace where the process is not root), which needs a kernel that allows
 *       unprivileged user namespaces.
 * </ul>
 */
public final class EmbeddedStores implements AutoCloseable {
  private final EmbeddedRedis redis;
  private final int redisPort;
  private final EmbeddedPostgres pg;

  private EmbeddedStores(EmbeddedRedis redis, int redisPort, EmbeddedPostgres pg) {
    this.redis = redis;
    this.redisPort = redisPort;
    this.pg = pg;
  }

  /** Starts both; PostgreSQL keeps its data in {@code dataDir/pg} (created when missing). */
  public static EmbeddedStores start(Path dataDir) {
    EmbeddedRedis redis = null;
    try {
      Path pgData = dataDir.toAbsolutePath().resolve("pg");
      Files.createDirectories(pgData);
      int redisPort = freePort();
      redis = EmbeddedRedis.start(redisPort);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData.toFile())
              .setCleanDataDirectory(false) // a restart keeps history
              .setRegisterShutdownHook(false) // stopped by close(), after the oracle has stopped
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setPGStartupWait(java.time.Duration.ofSeconds(60))
              .start();
      return new EmbeddedStores(redis, redisPort, pg);
    } catch (IOException | RuntimeException e) {
      if (redis != null) redis.stop();
      if (runsAsRoot() && !io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
        throw new IllegalStateException(
            "embedded PostgreSQL refuses to run as root, and `unshare -U` (a user namespace"
                + " where it would not be root) is not allowed here: run as a regular user",
            e);
      }
      throw new IllegalStateException("embedded stores failed to start: " + e.getMessage(), e);
    }
  }

  /** {@code redis://127.0.0.1:<port>/<db>}. */
  public String redisUrl(int db) {
    return "redis://127.0.0.1:" + redisPort + "/" + db;
  }

  /**
   * {@code postgresql://postgres@127.0.0.1:<port>/<database>} (trust authentication, loopback
   * only).
   */
  public String pgUrl(String database) {
    return "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/" + database;
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      redis.stop();
    }
  }

  private static boolean runsAsRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return false; // not a Unix JVM
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
