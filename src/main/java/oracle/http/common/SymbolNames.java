package oracle.http.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The symbol spellings users type, mapped to the configured canonical symbol: {@code btc/usdt},
 * {@code BTC-USDT}, {@code btc_usdt}, {@code BTC:USDT} by their separator, {@code BTCUSDT} by
 * splitting it against the configured symbols (only when exactly one configured symbol is spelled
 * so). Built once per API instance: the lookup is one map probe whatever the symbol count.
 */
public final class SymbolNames {
  /** One separator between base and quote: slash, dash, underscore or colon. */
  private static final Pattern SEPARATED =
      Pattern.compile("^([A-Z0-9]{1,20})[/\\-_:]([A-Z0-9]{1,20})$");

  private static final Pattern JOINED = Pattern.compile("^[A-Z0-9]{2,40}$");

  private final Set<String> canonical;

  /** {@code BTCUSDT} to every configured symbol spelled so (more than one: ambiguous). */
  private final Map<String, List<String>> joined = new HashMap<>();

  /** The configured quote currencies, longest first: how an unknown joined spelling is split. */
  private final List<String> quotes;

  public SymbolNames(Set<String> canonical) {
    this.canonical = canonical;
    Set<String> q = new java.util.TreeSet<>();
    for (String s : canonical) {
      joined.computeIfAbsent(s.replace("/", ""), k -> new ArrayList<>(1)).add(s);
      q.add(s.substring(s.indexOf('/') + 1));
    }
    List<String> byLength = new ArrayList<>(q);
    byLength.sort((a, b) -> b.length() - a.length());
    this.quotes = List.copyOf(byLength);
  }

  public Set<String> all() {
    return canonical;
  }

  /**
   * The configured symbol {@code raw} spells. 400 naming {@code field} when it is no symbol
   * spelling or an ambiguous one, 404 when it names no configured symbol.
   */
  public String resolve(String field, String raw) {
    String s = raw.trim().toUpperCase(Locale.ROOT);
    var separated = SEPARATED.matcher(s);
    if (separated.matches()) {
      String symbol = separated.group(1) + "/" + separated.group(2);
      if (canonical.contains(symbol)) return symbol;
      throw unknown(field, symbol);
    }
    if (JOINED.matcher(s).matches()) {
      List<String> matches = joined.getOrDefault(s, List.of());
      if (matches.size() == 1) return matches.get(0);
      if (matches.size() > 1)
        throw ApiError.badRequest(
            field, s + " is ambiguous; write it with a slash: one of " + sorted(matches));
      // Not configured: name it as the configured quotes split it, so the 404 reads as a symbol.
      for (String quote : quotes)
        if (s.length() > quote.length() && s.endsWith(quote))
          throw unknown(field, s.substring(0, s.length() - quote.length()) + "/" + quote);
    }
    throw ApiError.badRequest(
        field,
        "must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as"
            + " BTC/USDT); got '"
            + abbreviate(raw)
            + "'");
  }

  private static ApiError unknown(String field, String symbol) {
    return ApiError.notFound(field, "unknown symbol " + symbol + "; see /api/v1/market/symbols");
  }

  private static List<String> sorted(Collection<String> c) {
    List<String> out = new ArrayList<>(c);
    out.sort(null);
    return out;
  }

  /** Client text echoed in an error, cut so a huge parameter does not become a huge answer. */
  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
