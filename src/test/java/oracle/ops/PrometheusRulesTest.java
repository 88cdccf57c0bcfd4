package oracle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules and the Prometheus configuration, checked by Prometheus' own tool: the rules
 * parse and every alert fires, and stays quiet, on the series of {@code
 * ops/prometheus/alerts.test.yml}.
 */
class PrometheusRulesTest {
  static final String INSTALL = "apt-get install -y --no-install-recommends prometheus";
  private static Path promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", INSTALL, "/usr/bin/promtool");
  }

  @Test
  void rulesAreValid() {
    Tools.Result r =
        Tools.run(60, List.of(promtool.toString(), "check", "rules", "ops/prometheus/alerts.yml"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).containsPattern("SUCCESS: \\d+ rules found");
  }

  @Test
  void everyAlertFiresAndStaysQuietOnItsTestSeries() {
    Tools.Result r =
        Tools.run(
            120, List.of(promtool.toString(), "test", "rules", "ops/prometheus/alerts.test.yml"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void prometheusConfigurationIsValidAndLoadsTheRules() {
    Tools.Result r =
        Tools.run(
            60, List.of(promtool.toString(), "check", "config", "ops/prometheus/prometheus.yml"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("1 rule files found");
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertsQueryOnlyKnownOracleMetrics() throws IOException {
    Map<String, Object> file =
        new Yaml().load(Files.readString(Tools.root().resolve("ops/prometheus/alerts.yml")));
    List<Map<String, Object>> groups = (List<Map<String, Object>>) file.get("groups");
    int checked = 0;
    for (Map<String, Object> group : groups) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        String expr = String.valueOf(rule.get("expr"));
        assertThat(OracleMetricNames.KNOWN)
            .as("alert %s: %s", rule.get("alert"), expr)
            .containsAll(OracleMetricNames.referencedBy(expr));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  /** Every alert links a runbook section that exists (docs/runbook.md, its name in lower case). */
  @Test
  @SuppressWarnings("unchecked")
  void everyAlertLinksItsRunbookSection() throws IOException {
    Map<String, Object> file =
        new Yaml().load(Files.readString(Tools.root().resolve("ops/prometheus/alerts.yml")));
    String runbook = Files.readString(Tools.root().resolve("docs/runbook.md"));
    int alerts = 0;
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        String name = String.valueOf(rule.get("alert"));
        Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
        assertThat(annotations.get("runbook_url"))
            .as(name)
            .isEqualTo("docs/runbook.md#" + name.toLowerCase(java.util.Locale.ROOT));
        assertThat(runbook).as("runbook section of " + name).contains("\n## " + name + "\n");
        alerts++;
      }
    }
    assertThat(alerts).isGreaterThanOrEqualTo(12);
  }
}
