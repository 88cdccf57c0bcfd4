package oracle.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * The redis-server binary bundled in {@code com.github.codemonstur:embedded-redis}, run as a child
 * process on loopback without persistence. Started here rather than through the library's {@code
 * RedisServer}, which registers a JVM shutdown hook of its own on every start: the JVM runs hooks
 * concurrently, so that hook killed Redis under the oracle's final flush (the open minute was lost
 * on every Ctrl-C). Only {@link #stop()} stops it, called by the one hook that stops the oracle
 * first. It runs in a session of its own ({@code setsid}, as pg_ctl does for PostgreSQL): Ctrl-C in
 * a terminal signals the whole foreground process group, which would stop Redis at once too.
 */
final class EmbeddedRedis {
  private static final long READY_LIMIT_MS = 30_000;
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Process process;

  private EmbeddedRedis(Process process) {
    this.process = process;
  }

  static EmbeddedRedis start(int port) throws IOException {
    String binary = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
    List<String> command = new ArrayList<>();
    // setsid execs redis-server in place (same pid), so destroy() still signals Redis itself.
    if (Files.isExecutable(SETSID)) command.add(SETSID.toString());
    command.addAll(
        List.of(
            binary,
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = in.readLine()) != null) { // drained to the end: no blocked pipe
                  if (!ready.isDone()) seen.append(line).append('\n');
                  if (line.contains("Ready to accept connections")) ready.complete(null);
                }
                ready.completeExceptionally(new IOException("redis-server exited:\n" + seen));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "embedded-redis-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_LIMIT_MS, TimeUnit.MILLISECONDS);
      return new EmbeddedRedis(p);
    } catch (Exception e) {
      p.destroyForcibly();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IOException("redis-server did not start: " + cause.getMessage(), cause);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
