package oracle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The provisioned Grafana dashboard: the panels operators need, each querying real oracle series.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Tools.root().resolve("ops/grafana/dashboards/oracle.json");

  @Test
  void hasThePanelsTheIssueAsksFor() throws IOException {
    List<String> exprs = new ArrayList<>();
    for (JsonObject p : panels())
      for (Object t : p.getJsonArray("targets")) exprs.add(((JsonObject) t).getString("expr"));
    String all = String.join("\n", exprs);
    assertThat(all)
        .contains("rate(oracle_price_updates_total{instance=~\"$instance\"}[5m])")
        .contains(
            "histogram_quantile(0.95, sum by (le, route) (rate(oracle_api_duration_seconds_bucket{instance=~\"$instance\"}[5m])))")
        .contains("oracle_exchange_health")
        .contains("oracle_flush_duration_seconds_bucket")
        .contains("oracle_leader_changes_total")
        .contains("max by (instance) (oracle_is_leader{instance=~\"$instance\"})")
        .contains("max(oracle_price_oldest_age_seconds{instance=~\"$instance\"})")
        .contains("oracle_sources_dropped_total{instance=~\"$instance\",exchange=~\"$exchange\"}")
        .contains("oracle_build_info{instance=~\"$instance\"}");
    // no per-symbol series (issue 20): symbols agreed and withheld, two series whatever the market
    assertThat(all)
        .contains("max by (state) (oracle_price_symbols{instance=~\"$instance\"})")
        .doesNotContain("symbol)");
  }

  @Test
  void everyPanelQueriesOnlyKnownOracleMetrics() throws IOException {
    for (JsonObject p : panels()) {
      JsonArray targets = p.getJsonArray("targets");
      assertThat(targets).as("targets of panel %s", p.getString("title")).isNotEmpty();
      for (Object t : targets) {
        String expr = ((JsonObject) t).getString("expr");
        Set<String> names = OracleMetricNames.referencedBy(expr);
        assertThat(names).as("oracle metrics in %s", expr).isNotEmpty();
        assertThat(OracleMetricNames.KNOWN)
            .as("panel '%s' expr %s", p.getString("title"), expr)
            .containsAll(names);
      }
    }
  }

  @Test
  void panelsHaveUniqueIdsTitlesAndALayout() throws IOException {
    Set<Integer> ids = new HashSet<>();
    for (JsonObject p : panels()) {
      assertThat(ids.add(p.getInteger("id"))).as("unique id %s", p.getInteger("id")).isTrue();
      assertThat(p.getString("title")).isNotBlank();
      JsonObject grid = p.getJsonObject("gridPos");
      assertThat(grid.getInteger("w")).isBetween(1, 24);
      assertThat(grid.getInteger("x") + grid.getInteger("w")).isLessThanOrEqualTo(24);
    }
  }

  /**
   * Issue 22 item 8: the dashboard names no datasource uid (it imports into any Grafana) and every
   * query follows the instance picker.
   */
  @Test
  void panelsFollowTheDatasourceAndInstanceVariables() throws IOException {
    Map<String, Object> provisioning =
        new Yaml()
            .load(
                Files.readString(
                    Tools.root().resolve("ops/grafana/provisioning/datasources/prometheus.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> ds = ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);
    assertThat(ds.get("url")).isEqualTo("http://prometheus:9090");
    assertThat(ds.get("type")).isEqualTo("prometheus");
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Map<String, JsonObject> variables = new HashMap<>();
    for (Object v : dashboard.getJsonObject("templating").getJsonArray("list"))
      variables.put(((JsonObject) v).getString("name"), (JsonObject) v);
    assertThat(variables.get("datasource").getString("type")).isEqualTo("datasource");
    assertThat(variables.get("datasource").getString("query")).isEqualTo("prometheus");
    assertThat(variables.get("instance").getBoolean("includeAll")).isTrue();
    // The exchange picker reads a series that exists from the start (every source, at 0); there is
    // no symbol picker: no metric has a symbol label (a series per symbol is what issue 20
    // removed).
    assertThat(variables.get("exchange").getString("definition"))
        .isEqualTo("label_values(oracle_sources_dropped_total{instance=~\"$instance\"}, exchange)");
    assertThat(variables.get("exchange").getBoolean("includeAll")).isTrue();
    assertThat(variables).doesNotContainKey("symbol");
    for (JsonObject v : variables.values())
      if (v.containsKey("datasource"))
        assertThat(v.getJsonObject("datasource").getString("uid"))
            .as("variable %s follows the data source picker", v.getString("name"))
            .isEqualTo("${datasource}");
    for (JsonObject p : panels()) {
      assertThat(p.getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
      for (Object t : p.getJsonArray("targets")) {
        JsonObject target = (JsonObject) t;
        assertThat(target.getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
        for (String metric : OracleMetricNames.referencedBy(target.getString("expr")))
          assertThat(target.getString("expr"))
              .as("%s in panel %s", metric, p.getString("title"))
              .containsPattern(metric + "(_bucket)?\\{instance=~\"\\$instance\"");
      }
    }
  }

  /**
   * Prometheus' own parser on every panel query: they go into a scratch rules file for promtool.
   */
  @Test
  void everyPanelQueryIsValidPromQL() throws IOException {
    Path promtool = Tools.require("promtool", PrometheusRulesTest.INSTALL, "/usr/bin/promtool");
    List<Map<String, Object>> rules = new ArrayList<>();
    for (JsonObject p : panels()) {
      for (Object t : p.getJsonArray("targets")) {
        JsonObject target = (JsonObject) t;
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put(
            "record", "dashboard:panel_" + p.getInteger("id") + "_" + target.getString("refId"));
        rule.put("expr", target.getString("expr"));
        rules.add(rule);
      }
    }
    Path file = Files.createTempFile("dashboard-queries", ".yml");
    try {
      Files.writeString(
          file,
          new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
      Tools.Result r =
          Tools.run(60, List.of(promtool.toString(), "check", "rules", file.toString()));
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static List<JsonObject> panels() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertThat(dashboard.getString("uid")).isNotBlank();
    List<JsonObject> panels = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) panels.add((JsonObject) p);
    assertThat(panels).hasSizeGreaterThanOrEqualTo(6);
    return panels;
  }
}
