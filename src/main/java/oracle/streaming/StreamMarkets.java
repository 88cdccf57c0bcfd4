package oracle.streaming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oracle.exchange.Market;
import oracle.exchange.MarketIds;
import oracle.exchange.MarketMap;
import oracle.exchange.stream.TradeStreamProtocol;

/**
 * One source's symbols ↔ the market ids its stream uses. The REST adapter's {@link MarketMap} knows
 * each symbol's market; the protocol names that market as its stream does (Kraken v2: {@code
 * BTC/USD} for REST's {@code XBTUSD}), so trades map back to the right symbols.
 */
public final class StreamMarkets {
  private final Map<String, String> idBySymbol = new LinkedHashMap<>();
  private final Map<String, String> quoteBySymbol = new HashMap<>();
  private final Map<String, List<String>> symbolsById = new LinkedHashMap<>();

  public StreamMarkets(TradeStreamProtocol protocol, MarketMap markets, List<String> symbols) {
    for (String symbol : symbols) {
      Market m = markets.market(symbol);
      if (m == null) continue;
      String id = protocol.marketId(m.id(), MarketIds.base(symbol), m.quoteCurrency());
      idBySymbol.put(symbol, id);
      quoteBySymbol.put(symbol, m.quoteCurrency());
      symbolsById.computeIfAbsent(id, k -> new ArrayList<>(1)).add(symbol);
    }
  }

  /** The stream's market ids, without repeats, in symbol order. */
  public List<String> ids() {
    return List.copyOf(symbolsById.keySet());
  }

  public List<String> symbols() {
    return List.copyOf(idBySymbol.keySet());
  }

  /** The symbols read from stream market {@code id} (usually one; none for an unknown id). */
  public List<String> symbolsOf(String id) {
    return symbolsById.getOrDefault(id, List.of());
  }

  public String idOf(String symbol) {
    return idBySymbol.get(symbol);
  }

  /** The currency the symbol's market quotes in on this source. */
  public String quoteOf(String symbol) {
    return quoteBySymbol.get(symbol);
  }

  public boolean isEmpty() {
    return idBySymbol.isEmpty();
  }
}
