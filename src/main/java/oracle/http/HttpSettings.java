package oracle.http;

import java.util.List;
import java.util.Optional;
import oracle.common.StoreSettings;
import oracle.http.market.MarketApiSettings;
import oracle.http.market.MarketSettings;
import oracle.http.ratelimit.RateLimitSettings;
import oracle.http.stream.BridgeSettings;
import oracle.http.stream.StreamSettings;

/**
 * What the HTTP verticle serves with, handed over by the deployment (validated there).
 *
 * @param host {@code http.host}: the address to bind ({@link #ANY_HOST} unless configured)
 * @param port {@code http.port} (0: any free port)
 * @param symbols the followed symbols (listed by {@code /symbols}, backfilled on request)
 * @param servedSymbols the symbols whose data the API serves: the followed ones and, in
 *     whole-market mode, those delisted since (their history stays readable)
 * @param exchanges the enabled exchanges
 * @param stalenessMs {@code ingestion.stalenessMs}: a price older than this is stale
 * @param simulated dev mode's market simulator feeds the prices (every price says so)
 * @param adminToken {@code admin.token}; without it no admin route is mounted
 * @param connections {@code http.idleTimeoutMs} and {@code http.maxConnections}
 * @param bridge {@code http.bridge.*}: the event-bus bridge's bounds
 */
public record HttpSettings(
    String instanceId,
    String host,
    int port,
    StoreSettings stores,
    List<String> symbols,
    List<String> servedSymbols,
    List<String> exchanges,
    long stalenessMs,
    boolean simulated,
    Optional<String> adminToken,
    MarketSettings market,
    StreamSettings stream,
    RateLimitSettings rateLimit,
    ConnectionLimits connections,
    BridgeSettings bridge) {
  /** Every interface: the server's default (dev mode binds loopback instead). */
  public static final String ANY_HOST = "0.0.0.0";

  public HttpSettings {
    symbols = List.copyOf(symbols);
    servedSymbols = List.copyOf(servedSymbols);
    exchanges = List.copyOf(exchanges);
  }

  /** The market API's part. */
  public MarketApiSettings marketApi() {
    return new MarketApiSettings(
        symbols,
        servedSymbols,
        exchanges,
        stalenessMs,
        simulated,
        market,
        stream,
        rateLimit.trustedProxies());
  }
}
