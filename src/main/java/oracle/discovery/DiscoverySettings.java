package oracle.discovery;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;

/**
 * Whole-market mode ({@code "symbols": "auto"} or {@code ORACLE_SYMBOLS=auto}), the {@code
 * discovery} section:
 *
 * <ul>
 *   <li>{@code discovery.minSources} (2): a market is followed when at least this many enabled
 *       exchanges list it.
 *   <li>{@code discovery.refreshMs} (3600000): how often the instrument lists are read again.
 *   <li>{@code discovery.quotes} ({@code ["USDT","USDC","USD","KRW"]}): quote currencies taken; a
 *       KRW market counts for the base's USDT symbol (converted through the USDT/KRW rate, as Upbit
 *       is polled).
 *   <li>{@code discovery.timeoutMs} (10000): deadline of one instrument request (the answers are
 *       large).
 * </ul>
 */
public record DiscoverySettings(
    int minSources, long refreshMs, List<String> quotes, long timeoutMs) {
  public static final String AUTO = "auto";
  public static final List<String> DEFAULT_QUOTES = List.of("USDT", "USDC", "USD", "KRW");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z0-9]{1,20}$");

  /** Whether this configuration asks for whole-market mode. */
  public static boolean auto(JsonObject config) {
    return config.getValue("symbols") instanceof String s && s.trim().equalsIgnoreCase(AUTO);
  }

  public static DiscoverySettings from(ConfigReader discovery) {
    int minSources = discovery.intValue("minSources", 2, 1, 6);
    long refresh = discovery.longValue("refreshMs", 3_600_000, 100, 7 * 86_400_000L);
    List<String> quotes = discovery.stringList("quotes", DEFAULT_QUOTES);
    if (quotes.isEmpty())
      throw new ConfigException(discovery.key("quotes"), "at least one quote currency", "[]");
    for (String q : quotes) {
      if (!CURRENCY.matcher(q).matches())
        throw new ConfigException(discovery.key("quotes"), "currency codes like USDT", q);
    }
    long timeout = discovery.longValue("timeoutMs", 10_000, 10, 120_000);
    return new DiscoverySettings(minSources, refresh, quotes, timeout);
  }
}
