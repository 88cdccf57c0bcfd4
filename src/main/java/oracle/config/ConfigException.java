package oracle.config;

/** A configuration key is missing or malformed; the message names the key and what was expected. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String expected, Object actual) {
    super(
        "invalid configuration: "
            + key
            + ": expected "
            + expected
            + ", got "
            + (actual == null ? "nothing" : "'" + actual + "'"));
  }
}
