package oracle.support;

import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test needs and the machine may lack (Node for the TimescaleDB engine, Chromium,
 * promtool): without it the test is skipped with the reason printed; on CI ({@code CI=true}) it
 * fails instead, because .ci/run installs every tool, so a missing one there is a broken install
 * step.
 */
public final class Requirements {
  private Requirements() {}

  public static void require(boolean present, String reason) {
    if (present) return;
    if ("true".equalsIgnoreCase(System.getenv("CI")))
      fail(reason + " (CI=true: every tool must be installed)");
    System.err.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }
}
