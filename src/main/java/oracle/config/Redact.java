package oracle.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes credentials out of text that may be logged: a URL's password ({@code user:secret@host} →
 * {@code user:***@host}) and {@code password=} parameters. Used on every configuration error (whose
 * message quotes the bad value) and every logged store URL, at start and on reload.
 */
public final class Redact {
  private Redact() {}

  /** A URL-like word: scheme, "://", then anything up to white space or a quote. */
  private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s'\"]*");

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:^|[?&;\\s])password=)[^&;\\s'\"]*");

  /** The text with every URL's password and every {@code password=} value replaced by ***. */
  public static String secrets(String text) {
    if (text == null) return null;
    Matcher m = URL.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(url(m.group())));
    m.appendTail(out);
    return PASSWORD_PARAM.matcher(out).replaceAll("$1***");
  }

  /**
   * A configuration value quoted whole: a value holding "://" is one URL even with white space in
   * it (a malformed URL is exactly what a configuration error quotes).
   */
  public static String value(String value) {
    return value != null && value.contains("://") ? secrets(url(value)) : secrets(value);
  }

  /**
   * One URL, even a malformed one: the user-info runs from "://" to the last '@' (a password may
   * itself hold '@', '/' or ':'); whatever follows the user name's ':' is the password.
   */
  static String url(String url) {
    int start = url.indexOf("://") + 3;
    int at = url.lastIndexOf('@');
    if (at < start) return url;
    int colon = url.indexOf(':', start);
    if (colon < 0 || colon > at) return url;
    return url.substring(0, colon + 1) + "***" + url.substring(at);
  }
}
