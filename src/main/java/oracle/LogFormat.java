package oracle;

import java.util.Map;
import oracle.config.ConfigException;

/**
 * Chooses the log format before logback starts: {@code ORACLE_LOG_FORMAT} ({@code text} or {@code
 * json}) when set, else JSON for the server (one object a line, for log shippers) and text for
 * {@code dev} (a person reads it). logback.xml picks the appender by that name.
 */
final class LogFormat {
  static final String VARIABLE = "ORACLE_LOG_FORMAT";

  private LogFormat() {}

  static String choose(Map<String, String> env, boolean dev) {
    String v = env.get(VARIABLE);
    if (v == null || v.isBlank()) return dev ? "text" : "json";
    if (v.equals("text") || v.equals("json")) return v;
    throw new ConfigException(VARIABLE, "text or json", v);
  }

  /**
   * Hands the choice to logback (a system property wins over the environment in its lookup); must
   * run before the first logger is made.
   */
  static void apply(String format) {
    System.setProperty(VARIABLE, format);
  }
}
