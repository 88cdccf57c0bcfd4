package oracle.config;

/** A configuration key is missing or malformed; the message names the key and what was expected. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String expected, Object actual) {
    // Redacted: the bad value may be a store URL with its password, and this message is logged.
    super(
        Redact.secrets(
            "invalid configuration: "
                + key
                + ": expected "
                + expected
                + ", got "
                + (actual == null ? "nothing" : "'" + Redact.value(String.valueOf(actual)) + "'")));
  }
}
