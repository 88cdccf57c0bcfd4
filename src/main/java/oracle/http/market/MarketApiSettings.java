package oracle.http.market;

import java.util.List;
import oracle.http.ratelimit.TrustedProxies;
import oracle.http.stream.StreamSettings;

/**
 * What the market API serves with, composed by {@code oracle.http.HttpSettings#marketApi()}:
 * settings flow down into the subpackages, which never import {@code oracle.http} (no package
 * cycle).
 *
 * @param symbols the followed symbols ({@code /symbols})
 * @param servedSymbols those whose data is served (the followed and, in whole-market mode, the
 *     delisted ones)
 * @param exchanges the enabled exchanges
 * @param stalenessMs {@code ingestion.stalenessMs}
 * @param simulated dev mode's market simulator feeds the prices
 */
public record MarketApiSettings(
    List<String> symbols,
    List<String> servedSymbols,
    List<String> exchanges,
    long stalenessMs,
    boolean simulated,
    MarketSettings market,
    StreamSettings stream,
    TrustedProxies trustedProxies) {
  public MarketApiSettings {
    symbols = List.copyOf(symbols);
    servedSymbols = List.copyOf(servedSymbols);
    exchanges = List.copyOf(exchanges);
  }
}
