package oracle.ops;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the external tools the ops tests drive (promtool, node, chromium). */
final class Tools {
  private Tools() {}

  /** The repository root (Maven runs tests from the module directory, which is the root here). */
  static Path root() {
    return Path.of("").toAbsolutePath();
  }

  /** An executable on PATH (or at {@code fallback}), if present. */
  static Optional<Path> find(String name, String... fallbacks) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    for (String f : fallbacks) {
      Path p = Path.of(f);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /**
   * The tool, or a skipped test with the command that installs it. On CI ({@code CI=true}) a
   * missing tool fails instead: .ci/run installs it, so its absence there is a broken install step.
   */
  static Path require(String name, String installHint, String... fallbacks) {
    Optional<Path> tool = find(name, fallbacks);
    oracle.support.Requirements.require(
        tool.isPresent(), name + " is not installed; install it with: " + installHint);
    return tool.get();
  }

  record Result(int exitCode, String output) {}

  /** Runs a command in the repository root, stdout and stderr merged, bounded in time. */
  static Result run(long timeoutSeconds, List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }
}
