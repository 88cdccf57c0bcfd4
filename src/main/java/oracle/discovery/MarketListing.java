package oracle.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import oracle.common.Symbols;
import oracle.exchange.Instrument;
import oracle.exchange.Market;
import oracle.exchange.MarketIds;
import oracle.exchange.registry.Exchanges;

/**
 * The pure rule of whole-market mode: from each exchange's instrument list, the canonical symbols
 * listed (and trading) on at least {@code minSources} exchanges, and for each exchange the market
 * it is read from. The market is the exchange's convention ({@link Exchanges#derive}) whenever the
 * exchange lists that market, so discovery and polling agree by construction; an override is
 * produced only where the exchange lists the symbol under another market, and "not listed" ({@code
 * null}) where it does not.
 *
 * @param symbols active symbols, sorted
 * @param markets exchange → symbol → override ({@code null} = the exchange does not list it);
 *     symbols read through the convention are absent
 */
public record MarketListing(List<String> symbols, Map<String, Map<String, Market>> markets) {

  public static MarketListing compute(
      Map<String, List<Instrument>> byExchange, DiscoverySettings settings) {
    Map<String, Map<String, Market>> chosen = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    byExchange.forEach(
        (exchange, instruments) -> {
          Map<String, Market> listed = listed(exchange, instruments, settings.quotes());
          chosen.put(exchange, listed);
          listed.keySet().forEach(s -> counts.merge(s, 1, Integer::sum));
        });
    List<String> active = new ArrayList<>();
    counts.forEach(
        (symbol, n) -> {
          if (n >= settings.minSources()) active.add(symbol);
        });
    Map<String, Map<String, Market>> overrides = new TreeMap<>();
    chosen.forEach(
        (exchange, listed) -> {
          Map<String, Market> o = new LinkedHashMap<>();
          for (String symbol : active) {
            Market m = listed.get(symbol);
            if (m == null) o.put(symbol, null);
            else if (!m.equals(Exchanges.derive(exchange, symbol))) o.put(symbol, m);
          }
          overrides.put(exchange, Collections.unmodifiableMap(o));
        });
    return new MarketListing(List.copyOf(active), Collections.unmodifiableMap(overrides));
  }

  /**
   * Symbol → the market one exchange would be read from, among its trading markets in the wanted
   * quotes.
   */
  static Map<String, Market> listed(
      String exchange, List<Instrument> instruments, List<String> quotes) {
    Map<String, List<Market>> candidates = new TreeMap<>();
    for (Instrument i : instruments) {
      if (!i.trading() || i.marketId() == null || !quotes.contains(i.quote())) continue;
      // A KRW market counts for the base's USDT symbol, converted through the USDT/KRW rate.
      String symbolQuote = i.quote().equals("KRW") ? "USDT" : i.quote();
      if (i.base().equals(symbolQuote)) continue;
      String symbol = i.base() + "/" + symbolQuote;
      if (!Symbols.isCanonical(symbol)) continue;
      candidates
          .computeIfAbsent(symbol, k -> new ArrayList<>(1))
          .add(new Market(i.marketId(), i.quote()));
    }
    Map<String, Market> out = new TreeMap<>();
    candidates.forEach(
        (symbol, markets) -> {
          Market convention = Exchanges.derive(exchange, symbol);
          Market pick =
              markets.contains(convention)
                  ? convention
                  : markets.stream()
                      .filter(m -> m.quoteCurrency().equals(MarketIds.quote(symbol)))
                      .findFirst()
                      .orElse(markets.get(0));
          out.put(symbol, pick);
        });
    return out;
  }

  /** Symbols in both lists' order-free sense: the names only, for logs. */
  public static List<String> added(List<String> before, List<String> after) {
    TreeSet<String> s = new TreeSet<>(after);
    s.removeAll(before);
    return List.copyOf(s);
  }
}
