package oracle.config;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the operator's environment variables (docs/configuration.md) onto the configuration tree;
 * the environment wins over the file.
 */
public final class EnvironmentOverrides {
  private EnvironmentOverrides() {}

  /**
   * @param sources the known source names: {@code ORACLE_<NAME>_URL} sets {@code
   *     sources.<name>.url}, {@code ORACLE_<NAME>_WS_URL} sets {@code sources.<name>.wsUrl}
   */
  public static JsonObject apply(
      JsonObject file, Map<String, String> env, Collection<String> sources) {
    JsonObject out = file.copy();
    set(out, env, "ORACLE_INSTANCE_ID", "instanceId");
    set(out, env, "ORACLE_HTTP_PORT", "http", "port");
    set(out, env, "ORACLE_REDIS_URL", "redis", "url");
    set(out, env, "ORACLE_PG_URL", "postgres", "url");
    set(out, env, "ORACLE_PG_READ_URL", "postgres", "readUrl");
    set(out, env, "ORACLE_SYMBOLS", "symbols");
    set(out, env, "ORACLE_EXCHANGES", "exchanges");
    set(out, env, "ORACLE_ADMIN_TOKEN", "admin", "token");
    set(out, env, "ORACLE_RATE_LIMIT", "rateLimit", "requests");
    set(out, env, "ORACLE_CLUSTER_ENABLED", "cluster", "enabled");
    set(out, env, "ORACLE_CLUSTER_HOST", "cluster", "host");
    set(out, env, "ORACLE_CLUSTER_PORT", "cluster", "port");
    set(out, env, "ORACLE_CLUSTER_MEMBERS", "cluster", "members");
    set(out, env, "ORACLE_TCP_BRIDGE_PORT", "tcpBridge", "port");
    for (String source : sources) {
      String upper = source.toUpperCase(Locale.ROOT);
      set(out, env, "ORACLE_" + upper + "_URL", "sources", source, "url");
      set(out, env, "ORACLE_" + upper + "_WS_URL", "sources", source, "wsUrl");
    }
    return out;
  }

  private static void set(
      JsonObject root, Map<String, String> env, String variable, String... path) {
    String value = env.get(variable);
    if (value == null) return;
    JsonObject node = root;
    for (int i = 0; i < path.length - 1; i++) {
      Object child = node.getValue(path[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(path[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(path[path.length - 1], value);
  }
}
