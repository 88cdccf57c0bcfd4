package oracle.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code java -jar target/token-price-oracle.jar dev --simulate} as a new user runs it: a real
 * process from the packaged jar, started in an empty folder with no {@code ORACLE_*} variable at
 * all (so no store URL can leak in), embedded Redis and PostgreSQL, answers read through the public
 * API only. Runs in Maven's integration-test phase, after the jar is built.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevModeIT {
  private static final Path JAR = Path.of("target/token-price-oracle.jar").toAbsolutePath();
  private static final int PORT = 16710;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final List<Process> started = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : started) stopProcess(p);
    for (Path f : folders) deleteTree(f);
  }

  /**
   * Starts it twice on one data folder: what the first run flushed is served by the second (Redis
   * is not persisted, so it can only come from the embedded PostgreSQL); {@code --fresh} then wipes
   * it. Runs first, so the PostgreSQL binaries are already unpacked for the timed test below.
   */
  @Test
  @Order(1)
  void aRestartOnTheSameDataFolderKeepsHistoryAndFreshWipesIt() throws Exception {
    Path dir = folder();
    Process first = start(dir, PORT + 1, "--simulate");
    // A closed minute flushed to PostgreSQL after its grace ended (ticks of a minute are taken
    // until flush.graceMs, 3 s, after it closes; flush.intervalMs is 10 s in dev mode), so the
    // flushed row is final.
    JsonObject firstClosed =
        waitFor(
            Duration.ofSeconds(150),
            () -> {
              JsonObject health = getJson(PORT + 1, "/api/v1/health");
              JsonObject flush = health == null ? null : health.getJsonObject("flush");
              JsonArray c = candles(PORT + 1);
              if (flush == null
                  || flush.getValue("lastFlushAt") == null
                  || flush.getValue("lastError") != null
                  || c == null) return null;
              long flushedAt = flush.getLong("lastFlushAt") / 1000;
              return c.stream()
                  .map(JsonObject.class::cast)
                  .filter(k -> k.getLong("time") + 60 + 3 < flushedAt - 1)
                  .findFirst()
                  .orElse(null);
            },
            first);
    System.out.printf("first run: closed and flushed candle %s%n", firstClosed.encode());
    List<ProcessHandle> children = first.descendants().toList(); // redis-server among them
    System.out.println(
        "first run's child processes: "
            + children.stream().map(h -> h.info().command().orElse("?")).toList());
    stopProcess(first);
    Thread.sleep(500);
    assertThat(children).as("no child process outlives dev mode").noneMatch(ProcessHandle::isAlive);
    assertThat(first.exitValue())
        .as("exit status after SIGTERM (143 = stopped by the signal, hooks run)")
        .isIn(0, 143);
    assertThat(dir.resolve("data/dev/pg/postmaster.pid"))
        .as("the embedded PostgreSQL stopped with the process")
        .doesNotExist();

    Process second = start(dir, PORT + 1, "--simulate");
    JsonArray history =
        waitFor(
            Duration.ofSeconds(60),
            () -> {
              JsonArray c = candles(PORT + 1);
              return c != null && !c.isEmpty() ? c : null;
            },
            second);
    JsonObject again =
        history.stream()
            .map(JsonObject.class::cast)
            .filter(c -> c.getLong("time").equals(firstClosed.getLong("time")))
            .findFirst()
            .orElse(null);
    System.out.printf("second run: same minute %s%n", again == null ? "missing" : again.encode());
    assertThat(again).as("the first run's closed candle, served by the second run").isNotNull();
    for (String f : List.of("open", "high", "low", "close")) {
      assertThat(again.getDouble(f)).as(f).isEqualTo(firstClosed.getDouble(f));
    }
    stopProcess(second);

    Process fresh = start(dir, PORT + 1, "--simulate", "--fresh");
    JsonArray afterWipe =
        waitFor(
            Duration.ofSeconds(60),
            () -> {
              JsonArray c = candles(PORT + 1);
              return c != null && !c.isEmpty() ? c : null;
            },
            fresh);
    assertThat(afterWipe.stream().map(JsonObject.class::cast).map(c -> c.getLong("time")))
        .as("--fresh wiped the history")
        .doesNotContain(firstClosed.getLong("time"));
  }

  /**
   * Ctrl-C (a signal to the whole process group, as a terminal sends it) saves the open minute: the
   * oracle's final flush runs, and leadership is released, before the embedded Redis stops. Before,
   * the embedded Redis library's own shutdown hook ran concurrently with the oracle's and Redis was
   * in the terminal's process group, so it died first ({@code final flush failed ... Connection
   * refused}) and the minute was lost on every stop. Stopped right after the first candle appears,
   * before the first periodic flush with data (every 10 s in dev mode), so only the final flush can
   * have stored the minute; read straight from the data folder's PostgreSQL.
   */
  @Test
  @Order(2)
  void ctrlCSavesTheOpenMinuteBeforeTheStoresStop() throws Exception {
    Path dir = folder();
    int port = PORT + 3;
    Path log = Path.of("target", "dev-mode-it-" + port + ".log").toAbsolutePath();
    Files.deleteIfExists(log);
    Process p = startInOwnSession(dir, port, "--simulate");
    JsonObject open =
        waitFor(
            Duration.ofSeconds(90),
            () -> {
              JsonArray c = candles(port);
              return c == null || c.isEmpty() ? null : c.getJsonObject(c.size() - 1);
            },
            p);
    long minute = open.getLong("time");
    JsonObject flush = getJson(port, "/api/v1/health").getJsonObject("flush");
    // As Ctrl-C in a terminal: a signal to the whole process group (dev mode leads its own,
    // started through setsid), so the embedded Redis gets it too unless it runs apart. SIGTERM, as
    // SIGINT is ignored by a process started in the background (and the JVM stops the same way).
    new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).inheritIO().start().waitFor();
    if (!p.waitFor(40, TimeUnit.SECONDS)) fail("dev mode did not stop within 40 s of the signal");
    System.out.printf(
        "SIGTERM to the process group with open minute %d (%s); flush before: %s%n",
        minute, open.encode(), flush == null ? null : flush.encode());
    String output = Files.readString(log);
    assertThat(output).as("the oracle's log").doesNotContain("final flush failed");
    assertThat(output).contains("final flush before stepping down");
    assertThat(output)
        .as("leadership released while Redis still ran")
        .doesNotContain("leadership not released");

    try (EmbeddedStores stores = EmbeddedStores.start(dir.resolve("data/dev"))) {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        io.vertx.sqlclient.Pool pool =
            oracle.common.PgFactory.pool(vertx, stores.pgUrl("postgres"), 1);
        io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows =
            pool.preparedQuery(
                    "SELECT close::float8 AS close FROM ohlcv_1m WHERE symbol = $1"
                        + " AND time = to_timestamp($2)")
                .execute(io.vertx.sqlclient.Tuple.of("BTC/USDT", minute))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        pool.close();
        System.out.printf(
            "PostgreSQL after SIGTERM: minute %d %s%n",
            minute,
            rows.size() == 1
                ? "stored, close " + rows.iterator().next().getDouble("close")
                : "missing");
        assertThat(rows.size()).as("the open minute, stored by the final flush").isEqualTo(1);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Within 10 s of the command, the open candle moves, and every answer says the prices are
   * simulated.
   */
  @Test
  @Order(3)
  void simulateShowsAMovingCandleWithinTenSeconds() throws Exception {
    long t0 = System.nanoTime();
    Process p = start(folder(), PORT, "--simulate");
    JsonObject firstSeen = null;
    JsonObject moved = null;
    while (moved == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
      if (!p.isAlive()) fail("dev mode exited with " + p.exitValue());
      JsonArray c = candles(PORT);
      if (c != null && !c.isEmpty()) {
        JsonObject last = c.getJsonObject(c.size() - 1);
        if (firstSeen == null) firstSeen = last;
        else if (last.getLong("time").equals(firstSeen.getLong("time")) && !last.equals(firstSeen))
          moved = last;
        else if (!last.getLong("time").equals(firstSeen.getLong("time")))
          firstSeen = last; // a minute rolled over
      }
      Thread.sleep(200);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "open candle moved %.1f s after the command: %s -> %s%n",
        seconds,
        firstSeen == null ? null : firstSeen.encode(),
        moved == null ? null : moved.encode());
    assertThat(moved).as("a moving open candle").isNotNull();
    assertThat(seconds).as("seconds from the command to a moving candle").isLessThanOrEqualTo(10.0);

    JsonObject health = getJson(PORT, "/api/v1/health");
    assertThat(health.getBoolean("simulated")).as("health says simulated").isTrue();
    assertThat(health.getString("redis")).isEqualTo("up");
    assertThat(health.getString("postgres")).isEqualTo("up");
    JsonObject price = getJson(PORT, "/api/v1/market/price?symbol=BTC/USDT");
    assertThat(price.getBoolean("simulated")).as("/price says simulated").isTrue();
    assertThat(price.getJsonArray("sourcesUsed"))
        .as("every simulated exchange feeds the price")
        .hasSizeGreaterThanOrEqualTo(5);
    // The chart page carries the banner, shown by its script when health says simulated.
    assertThat(getText(PORT, "/")).contains("id=\"simulated\"").contains("Simulated prices");
    assertThat(getText(PORT, "/ui/app.js"))
        .contains("$('simulated').hidden = !(body && body.simulated === true)");
  }

  /**
   * Offline, as on a fresh machine without network: inside a new network namespace nothing answers
   * (no exchange, and no local Redis or PostgreSQL either), and {@code dev} without flags still
   * comes up, says in one line that it switches to the simulator, and serves simulated prices.
   */
  @Test
  @Order(4)
  void offlineItSwitchesToTheSimulatorAndNeedsNoLocalStores() throws Exception {
    String netns = "h3dev" + ProcessHandle.current().pid();
    boolean curl =
        java.util.Arrays.stream(
                System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "curl")));
    if (!curl)
      org.junit.jupiter.api.Assumptions.abort(
          "curl is not installed (it reads the API inside the namespace)");
    Process add = new ProcessBuilder("ip", "netns", "add", netns).redirectErrorStream(true).start();
    boolean created = add.waitFor(10, TimeUnit.SECONDS) && add.exitValue() == 0;
    if (!created) {
      System.out.println(
          "SKIPPED: cannot create a network namespace here (needs root and iproute2)");
      org.junit.jupiter.api.Assumptions.abort(
          "cannot create a network namespace (needs root and iproute2)");
    }
    try {
      new ProcessBuilder("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up")
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      Path dir = folder();
      Path log = Path.of("target", "dev-mode-it-offline.log").toAbsolutePath();
      Files.deleteIfExists(log);
      ProcessBuilder pb =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  netns,
                  "java",
                  "-Xmx384m",
                  "-XX:+UseSerialGC",
                  "-jar",
                  JAR.toString(),
                  "dev")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().keySet().removeIf(k -> k.startsWith("ORACLE_"));
      pb.environment().put("ORACLE_HTTP_PORT", Integer.toString(PORT + 2));
      Process p = pb.start(); // `ip netns exec` execs java itself: SIGTERM reaches the oracle
      started.add(p);
      long t0 = System.nanoTime();
      JsonObject price =
          waitFor(
              Duration.ofSeconds(60),
              () -> {
                JsonObject body =
                    inNamespace(netns, PORT + 2, "/api/v1/market/price?symbol=BTC/USDT");
                return body != null && body.containsKey("price") ? body : null;
              },
              p);
      System.out.printf(
          "offline: simulated price after %.1f s: %s%n",
          (System.nanoTime() - t0) / 1e9, price.encode());
      assertThat(price.getBoolean("simulated")).isTrue();
      assertThat(inNamespace(netns, PORT + 2, "/api/v1/health").getBoolean("simulated")).isTrue();
      List<String> switchLines =
          Files.readAllLines(log).stream()
              .filter(l -> l.contains("switching to the built-in market simulator"))
              .toList();
      assertThat(switchLines).as("one line says it switched").hasSize(1);
      System.out.println("offline: " + switchLines.get(0)); // dev mode logs text
    } finally {
      for (Process p : started) stopProcess(p);
      new ProcessBuilder("ip", "netns", "del", netns).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  // ---- helpers ----

  /** GET through curl inside the namespace (its loopback is not this one's). */
  private static JsonObject inNamespace(String netns, int port, String path) throws Exception {
    Process curl =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                netns,
                "curl",
                "-s",
                "-m",
                "2",
                "http://127.0.0.1:" + port + path)
            .redirectErrorStream(true)
            .start();
    String out =
        new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    curl.waitFor(5, TimeUnit.SECONDS);
    return out.startsWith("{") ? new JsonObject(out) : null;
  }

  private Process start(Path dir, int port, String... flags) throws IOException {
    assertThat(JAR).as("the packaged jar (integration tests run after `package`)").exists();
    List<String> cmd =
        new ArrayList<>(
            List.of("java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "dev"));
    cmd.addAll(List.of(flags));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    Path.of("target", "dev-mode-it-" + port + ".log").toFile()));
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("ORACLE_")); // nothing but the defaults in the jar
    pb.environment().put("ORACLE_HTTP_PORT", Integer.toString(port));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** As a shell runs a command: leader of its own process group, so a group signal reaches all. */
  private Process startInOwnSession(Path dir, int port, String... flags) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setsid", "java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "dev"));
    cmd.addAll(List.of(flags));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    Path.of("target", "dev-mode-it-" + port + ".log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ORACLE_"));
    pb.environment().put("ORACLE_HTTP_PORT", Integer.toString(port));
    Process p = pb.start(); // setsid execs java in place: the same pid, now a group leader
    started.add(p);
    return p;
  }

  private Path folder() throws IOException {
    Path f = Files.createTempDirectory("h3-dev-mode");
    folders.add(f);
    return f;
  }

  private JsonArray candles(int port) {
    JsonObject body = getJson(port, "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=100");
    return body == null ? null : body.getJsonArray("candles");
  }

  private String getText(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private JsonObject getJson(int port, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.body().startsWith("{") ? new JsonObject(r.body()) : null;
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T waitFor(Duration limit, Probe<T> probe, Process p) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) fail("dev mode exited with " + p.exitValue());
      T v = probe.get();
      if (v != null) return v;
      Thread.sleep(250);
    }
    throw new AssertionError("not within " + limit);
  }

  private static void stopProcess(Process p) throws InterruptedException {
    if (!p.isAlive()) return;
    p.destroy(); // SIGTERM: the oracle stops, then the embedded stores
    if (!p.waitFor(40, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("dev mode did not stop within 40 s of SIGTERM");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
