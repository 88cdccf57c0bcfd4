package oracle.ops;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One oracle instance run from the packaged jar, for the process-level integration tests: started
 * with its own id and HTTP port, signalled like an operator would (SIGTERM, SIGSTOP/SIGCONT,
 * SIGKILL), and probed through its health endpoint. Each start logs to {@code <id>-<n>.log} in the
 * work folder, where {@link LogScan} reads it.
 */
final class OracleProcess {
  static final Path JAR = Path.of("target/token-price-oracle.jar");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  final String id;
  final int port;
  private final Path workDir;
  private Process process;
  private int generation;

  OracleProcess(String id, int port, Path workDir) {
    this.id = id;
    this.port = port;
    this.workDir = workDir;
  }

  void start(Path config) throws IOException {
    generation++;
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve(id + "-" + generation + ".log").toFile());
    pb.environment().put("ORACLE_CONFIG", config.toString());
    pb.environment().put("ORACLE_INSTANCE_ID", id);
    pb.environment().put("ORACLE_HTTP_PORT", Integer.toString(port));
    process = pb.start();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Sends a signal by name (STOP, CONT, ...), as {@code kill -NAME pid} would. */
  void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
        .inheritIO()
        .start()
        .waitFor();
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGCONT (in case it is frozen), SIGTERM, then waits for the graceful shutdown. */
  void stop() throws IOException, InterruptedException {
    signal("CONT");
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }

  /** The health document, or null while the instance does not answer. */
  JsonObject health() {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  boolean leads() {
    JsonObject h = health();
    return h != null && h.getBoolean("leader", false);
  }
}
