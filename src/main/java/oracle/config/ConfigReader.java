package oracle.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, validating accessors over a JSON configuration tree. Every failure throws a {@link
 * ConfigException} naming the full dotted key, so operators see exactly what to fix.
 */
public final class ConfigReader {
  private final JsonObject json;
  private final String prefix;

  public ConfigReader(JsonObject json) {
    this(json, "");
  }

  private ConfigReader(JsonObject json, String prefix) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
  }

  public JsonObject json() {
    return json;
  }

  public String key(String name) {
    return prefix + name;
  }

  public boolean has(String name) {
    return json.getValue(name) != null;
  }

  public ConfigReader section(String name) {
    Object v = json.getValue(name);
    if (v == null) return new ConfigReader(new JsonObject(), key(name) + ".");
    if (!(v instanceof JsonObject o)) throw new ConfigException(key(name), "an object", v);
    return new ConfigReader(o, key(name) + ".");
  }

  public String string(String name, String def) {
    Object v = json.getValue(name);
    if (v == null) return def;
    if (!(v instanceof String s)) throw new ConfigException(key(name), "a string", v);
    return s;
  }

  public String requiredString(String name) {
    String s = string(name, null);
    if (s == null || s.isBlank()) throw new ConfigException(key(name), "a non-empty string", s);
    return s;
  }

  /** A boolean: JSON true/false, or the text {@code true}/{@code false} (environment variables). */
  public boolean bool(String name, boolean def) {
    Object v = json.getValue(name);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    if (v instanceof String s) {
      String t = s.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("true")) return true;
      if (t.equals("false")) return false;
    }
    throw new ConfigException(key(name), "true or false", v);
  }

  public long longValue(String name, long def, long min, long max) {
    Object v = json.getValue(name);
    if (v == null) return def;
    long n;
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      n = num.longValue();
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name), "an integer in [" + min + ", " + max + "]", v);
      }
    } else {
      throw new ConfigException(key(name), "an integer in [" + min + ", " + max + "]", v);
    }
    if (n < min || n > max)
      throw new ConfigException(key(name), "an integer in [" + min + ", " + max + "]", v);
    return n;
  }

  public int intValue(String name, int def, int min, int max) {
    return (int) longValue(name, def, min, max);
  }

  public double doubleValue(String name, double def, double min, double max) {
    Object v = json.getValue(name);
    if (v == null) return def;
    double d;
    if (v instanceof Number num) {
      d = num.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name), "a number in [" + min + ", " + max + "]", v);
      }
    } else {
      throw new ConfigException(key(name), "a number in [" + min + ", " + max + "]", v);
    }
    if (!(d >= min && d <= max))
      throw new ConfigException(key(name), "a number in [" + min + ", " + max + "]", v);
    return d;
  }

  /** A list of strings, given either as a JSON array or as a comma-separated string. */
  public List<String> stringList(String name, List<String> def) {
    Object v = json.getValue(name);
    if (v == null) return def;
    List<String> out = new ArrayList<>();
    if (v instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) out.add(part.trim());
      }
    } else if (v instanceof JsonArray arr) {
      for (Object item : arr) {
        if (!(item instanceof String s) || s.isBlank())
          throw new ConfigException(key(name), "a list of non-empty strings", v);
        out.add(s.trim());
      }
    } else {
      throw new ConfigException(key(name), "a list of strings", v);
    }
    return List.copyOf(out);
  }

  /** A URL with one of the given schemes and a host. */
  public String url(String name, String def, String... schemes) {
    String s = string(name, def);
    if (s == null) return null;
    String expected = "a URL with scheme " + String.join(" or ", schemes);
    try {
      URI uri = new URI(s);
      if (uri.getScheme() == null || uri.getHost() == null)
        throw new ConfigException(key(name), expected, s);
      for (String scheme : schemes) {
        if (scheme.equalsIgnoreCase(uri.getScheme())) return s;
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key(name), expected, s);
    }
    throw new ConfigException(key(name), expected, s);
  }
}
