package oracle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files agree with the operator contract (README) and with each other. No Docker
 * engine runs here, so this reads them as data: compose services, environment, mounts, and the
 * Dockerfile's stages, user and health check.
 */
@SuppressWarnings("unchecked")
class DeploymentFilesTest {
  private static final Path ROOT = Tools.root();

  private static Map<String, Object> compose() throws IOException {
    return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
  }

  private static Map<String, Object> service(String name) throws IOException {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services).containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @Test
  void composeRunsTimescaleRedisTwoOraclesPrometheusAndGrafana() throws IOException {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services)
        .containsKeys("timescaledb", "redis", "oracle-1", "oracle-2", "prometheus", "grafana");
    assertThat((String) service("timescaledb").get("image"))
        .as("pinned to the tested TimescaleDB version")
        .matches("timescale/timescaledb:\\d+\\.\\d+\\.\\d+-pg\\d+");
    assertThat((String) service("redis").get("image")).startsWith("redis:7");
  }

  /** Issue 22 item 8: nothing but the API on other interfaces, no store without a password. */
  @Test
  void storesAndToolsListenOnLoopbackOnlyAndNeedPasswords() throws IOException {
    for (String name : List.of("timescaledb", "redis", "prometheus", "grafana")) {
      List<String> ports = (List<String>) service(name).get("ports");
      assertThat(ports).as(name).allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
    }
    assertThat(String.valueOf(service("redis").get("command")))
        .contains("--requirepass, ${REDIS_PASSWORD:?");
    Map<String, Object> pg = (Map<String, Object>) service("timescaledb").get("environment");
    assertThat(String.valueOf(pg.get("POSTGRES_PASSWORD"))).startsWith("${POSTGRES_PASSWORD:?");
    Map<String, Object> grafana = (Map<String, Object>) service("grafana").get("environment");
    assertThat(String.valueOf(grafana.get("GF_SECURITY_ADMIN_PASSWORD")))
        .startsWith("${GRAFANA_ADMIN_PASSWORD:?");
    String example = Files.readString(ROOT.resolve("ops/compose.env.example"));
    assertThat(example)
        .contains("POSTGRES_PASSWORD=", "REDIS_PASSWORD=", "GRAFANA_ADMIN_PASSWORD=");
    assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).doesNotContain("DESIGN.md");
  }

  @Test
  void oracleInstancesFollowTheOperatorContract() throws IOException {
    Set<String> ids = new HashSet<>();
    Set<Object> hostPorts = new HashSet<>();
    for (String name : List.of("oracle-1", "oracle-2")) {
      Map<String, Object> s = service(name);
      assertThat(s.get("build")).as("%s builds the Dockerfile", name).isEqualTo(".");
      Map<String, Object> env = (Map<String, Object>) s.get("environment");
      assertThat(env)
          .containsKeys(
              "ORACLE_INSTANCE_ID",
              "ORACLE_HTTP_PORT",
              "ORACLE_REDIS_URL",
              "ORACLE_PG_URL",
              "ORACLE_SYMBOLS",
              "ORACLE_EXCHANGES",
              "ORACLE_ADMIN_TOKEN",
              "ORACLE_RATE_LIMIT");
      ids.add(String.valueOf(env.get("ORACLE_INSTANCE_ID")));
      assertThat(String.valueOf(env.get("ORACLE_REDIS_URL")))
          .startsWith("redis://:${REDIS_PASSWORD:?")
          .contains("@redis:6379/");
      assertThat(String.valueOf(env.get("ORACLE_PG_URL")))
          .startsWith("postgresql://")
          .contains("@timescaledb:5432/");
      assertThat(String.valueOf(env.get("ORACLE_HTTP_PORT"))).isEqualTo("8080");
      List<String> ports = (List<String>) s.get("ports");
      assertThat(ports).hasSize(1);
      assertThat(ports.get(0)).endsWith(":8080");
      hostPorts.add(ports.get(0).split(":")[0]);
      Map<String, Object> dependsOn = (Map<String, Object>) s.get("depends_on");
      assertThat(dependsOn).containsKeys("timescaledb", "redis");
      assertThat(String.valueOf(s.get("stop_grace_period"))).isEqualTo("45s");
    }
    assertThat(ids).as("distinct instance ids").hasSize(2);
    assertThat(hostPorts).as("distinct host ports").hasSize(2);
  }

  @Test
  void prometheusScrapesBothOraclesAndGrafanaGetsTheProvisioning() throws IOException {
    Map<String, Object> prom =
        new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml")));
    Set<String> targets = new HashSet<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
      if (!"oracle".equals(job.get("job_name"))) continue;
      assertThat(job.get("metrics_path")).isEqualTo("/metrics");
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        targets.addAll((List<String>) sc.get("targets"));
      }
    }
    assertThat(targets).containsExactlyInAnyOrder("oracle-1:8080", "oracle-2:8080");
    assertThat((List<String>) prom.get("rule_files")).contains("alerts.yml");

    assertMountsExist(service("prometheus"), "/etc/prometheus");
    assertMountsExist(
        service("grafana"), "/etc/grafana/provisioning", "/var/lib/grafana/dashboards");
    assertThat(ROOT.resolve("ops/grafana/dashboards/oracle.json")).exists();
  }

  private static void assertMountsExist(Map<String, Object> service, String... containerPaths) {
    List<String> volumes = (List<String>) service.get("volumes");
    for (String target : containerPaths) {
      String bind =
          volumes.stream()
              .filter(v -> v.startsWith("./") && v.split(":")[1].equals(target))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no bind mount of " + target + " in " + volumes));
      assertThat(ROOT.resolve(bind.split(":")[0])).as("source of %s", bind).isDirectory();
    }
  }

  @Test
  void dockerfileBuildsInStagesAndRunsAsNonRootWithAHealthCheck() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> froms = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    assertThat(froms.get(froms.size() - 1)).contains("-jre");
    assertThat(froms).anyMatch(l -> l.contains("maven") && l.contains("17"));
    String userLine =
        dockerfile.lines().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(userLine).doesNotContain("root").doesNotMatch("USER 0(:.*)?");
    assertThat(dockerfile).contains("HEALTHCHECK").contains("/api/v1/health/ready");
    assertThat(dockerfile)
        .contains("-XX:MaxRAMPercentage=")
        .contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(dockerfile).contains("COPY --chown=root:root conf/ /app/conf/");
    // Every path the build copies from the context exists and is let through by .dockerignore.
    String ignore = Files.readString(ROOT.resolve(".dockerignore"));
    for (String line :
        dockerfile.lines().filter(l -> l.startsWith("COPY ") && !l.contains("--from=")).toList()) {
      String[] parts = line.replaceAll("--\\S+", "").trim().split("\\s+");
      for (int i = 1; i < parts.length - 1; i++) {
        String src = parts[i].replaceAll("/$", "");
        assertThat(ROOT.resolve(src)).as("COPY source %s", src).exists();
        assertThat(ignore)
            .as(".dockerignore lets %s through", src)
            .containsPattern("(?m)^!" + java.util.regex.Pattern.quote(src) + "(/\\*\\*)?$");
      }
    }
  }
}
