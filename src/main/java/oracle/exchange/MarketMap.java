package oracle.exchange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical symbols ↔ one exchange's markets: the exchange's {@link MarketRule} with the configured
 * per-symbol overrides applied; a symbol configured as unlisted is absent.
 */
public final class MarketMap {
  private final Map<String, Market> bySymbol;
  private final Map<String, List<String>> byId = new HashMap<>();

  private MarketMap(Map<String, Market> bySymbol) {
    this.bySymbol = Collections.unmodifiableMap(bySymbol);
    bySymbol.forEach(
        (symbol, market) -> byId.computeIfAbsent(market.id(), k -> new ArrayList<>(1)).add(symbol));
  }

  /**
   * @param overrides symbol → market; a {@code null} market means "this exchange does not list the
   *     symbol"
   */
  public static MarketMap of(MarketRule rule, List<String> symbols, Map<String, Market> overrides) {
    Map<String, Market> out = new LinkedHashMap<>();
    for (String symbol : symbols) {
      if (overrides.containsKey(symbol)) {
        Market m = overrides.get(symbol);
        if (m != null) out.put(symbol, m);
      } else {
        out.put(symbol, rule.derive(MarketIds.base(symbol), MarketIds.quote(symbol)));
      }
    }
    return new MarketMap(out);
  }

  public Market market(String symbol) {
    return bySymbol.get(symbol);
  }

  public boolean lists(String symbol) {
    return bySymbol.containsKey(symbol);
  }

  /** Canonical symbols read from market {@code id} (usually one). */
  public List<String> symbols(String id) {
    return byId.getOrDefault(id, List.of());
  }
}
