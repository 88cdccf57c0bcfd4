package oracle.exchange;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import oracle.common.Symbols;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;

/**
 * Configuration of one price source, {@code sources.<name>}: base URL, per-call timeout,
 * token-bucket rate limit, circuit breaker, minute-volume budget and per-symbol market overrides.
 *
 * <pre>{@code
 * "binance": {
 *   "url": "https://api.binance.com", "timeoutMs": 800,
 *   "rateLimit": { "requestsPerSecond": 20, "burst": 40 },
 *   "breaker": { "maxFailures": 5, "resetTimeoutMs": 10000 },
 *   "volumeRequestsPerTick": 10,
 *   "markets": { "BTC/USDT": "BTCUSDT", "DOGE/USDT": false, "BTC/USD": { "id": "BTC-USD", "quote": "USD" } }
 * }
 * "uniswap": { "url": "https://ethereum-rpc.publicnode.com", "twapSeconds": 60, "maxSpotDeviation": 0.02,
 *   "pools": { "ETH/USDT": { "address": "0x4e68...", "token0Decimals": 18, "token1Decimals": 6, "base": "token0" } } }
 * }</pre>
 *
 * @param markets symbol → market override; a {@code null} value means "not listed on this source"
 * @param twapSeconds (uniswap) the TWAP window read with {@code observe([twapSeconds, 0])} (60)
 * @param maxSpotDeviation (uniswap) a pool whose spot is further than this fraction from its TWAP
 *     is dropped as {@code manipulated} (0.02)
 * @param marketRule the exchange's market-id convention ({@link ExchangeSpec#markets}), for the
 *     symbols without an override
 * @param stream {@code sources.<name>.stream}: read the source's public WebSocket trade stream
 *     (REST polling is then only the fallback); default true where the source has a stream
 * @param wsUrl {@code sources.<name>.wsUrl} ({@code ORACLE_<NAME>_WS_URL}): the stream's URL, null
 *     for a source without a stream
 * @param streamSilenceMs {@code sources.<name>.streamSilenceMs} (10000): an open stream that sends
 *     nothing (no trade, heartbeat or pong) this long is unhealthy and reconnected
 */
public record SourceSettings(
    String name,
    String url,
    long timeoutMs,
    double requestsPerSecond,
    int burst,
    int breakerMaxFailures,
    long breakerResetMs,
    int volumeRequestsPerTick,
    Map<String, Market> markets,
    Map<String, UniswapPool> pools,
    int twapSeconds,
    double maxSpotDeviation,
    MarketRule marketRule,
    boolean stream,
    String wsUrl,
    long streamSilenceMs) {

  /**
   * {@code sources.<name>.streamSilenceMs}: a stream open but quiet this long is taken for dead.
   */
  public static final long DEFAULT_STREAM_SILENCE_MS = 10_000;

  /**
   * WETH/USDT 0.3 % pool on Ethereum mainnet (token0 WETH, 18 decimals; token1 USDT, 6 decimals).
   */
  public static final JsonObject DEFAULT_UNISWAP_POOLS =
      new JsonObject()
          .put(
              "ETH/USDT",
              new JsonObject()
                  .put("address", "0x4e68Ccd3E89f51C3074ca5072bbAC773960dFa36")
                  .put("token0Decimals", 18)
                  .put("token1Decimals", 6)
                  .put("base", "token0")
                  .put("quote", "USDT"));

  private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-fA-F]{40}$");
  private static final Pattern MARKET_ID = Pattern.compile("^[A-Za-z0-9._:/-]{1,40}$");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z0-9]{1,20}$");

  /**
   * Reads {@code sources.<name>}; defaults come from the exchange's spec ({@code ORACLE_<NAME>_URL}
   * overrides the URL), or generic ones for a name without a spec.
   */
  public static SourceSettings from(
      String name, java.util.Optional<ExchangeSpec> spec, ConfigReader r) {
    return from(name, spec, null, r);
  }

  /**
   * As above, for a source whose public trade stream is at {@code defaultWsUrl} (null: the source
   * has no stream; {@code stream: true} is then refused naming the key).
   */
  public static SourceSettings from(
      String name, java.util.Optional<ExchangeSpec> spec, String defaultWsUrl, ConfigReader r) {
    MarketRule rule = spec.map(ExchangeSpec::markets).orElse(MarketRule.SYMBOL);
    String url = r.url("url", spec.map(ExchangeSpec::defaultUrl).orElse(null), "http", "https");
    long timeout = r.longValue("timeoutMs", 800, 10, 60_000);
    ConfigReader limit = r.section("rateLimit");
    double rps =
        limit.doubleValue(
            "requestsPerSecond",
            spec.map(ExchangeSpec::defaultRequestsPerSecond).orElse(5.0),
            0.01,
            1_000_000);
    double rate = rps;
    int burst =
        limit.intValue(
            "burst",
            spec.map(x -> x.burstFor(rate)).orElse((int) Math.max(2, Math.ceil(rps * 2))),
            1,
            10_000_000);
    ConfigReader breaker = r.section("breaker");
    int maxFailures = breaker.intValue("maxFailures", 5, 1, 1000);
    long reset = breaker.longValue("resetTimeoutMs", 10_000, 10, 3_600_000);
    int volumeRequests = r.intValue("volumeRequestsPerTick", 10, 0, 100_000);
    Map<String, Market> markets = markets(rule, r.section("markets"));
    Map<String, UniswapPool> pools =
        spec.map(ExchangeSpec::pools).orElse(false) ? pools(poolsReader(r)) : Map.of();
    int twapSeconds = r.intValue("twapSeconds", 60, 1, 86_400);
    double maxSpotDeviation = r.doubleValue("maxSpotDeviation", 0.02, 0, 1);
    boolean stream = r.bool("stream", defaultWsUrl != null);
    if (stream && defaultWsUrl == null)
      throw new ConfigException(r.key("stream"), "false: " + name + " has no trade stream", true);
    String wsUrl = defaultWsUrl == null ? null : r.url("wsUrl", defaultWsUrl, "ws", "wss");
    long silence = r.longValue("streamSilenceMs", DEFAULT_STREAM_SILENCE_MS, 100, 600_000);
    return new SourceSettings(
        name,
        url,
        timeout,
        rps,
        burst,
        maxFailures,
        reset,
        volumeRequests,
        markets,
        pools,
        twapSeconds,
        maxSpotDeviation,
        rule,
        stream,
        wsUrl,
        silence);
  }

  private static ConfigReader poolsReader(ConfigReader r) {
    return r.has("pools")
        ? r.section("pools")
        : new ConfigReader(new JsonObject().put("pools", DEFAULT_UNISWAP_POOLS)).section("pools");
  }

  private static Map<String, Market> markets(MarketRule rule, ConfigReader r) {
    Map<String, Market> out = new LinkedHashMap<>();
    for (String symbol : r.json().fieldNames()) {
      String key = r.key(symbol);
      if (!Symbols.isCanonical(symbol))
        throw new ConfigException(key, "a canonical symbol like BTC/USDT as the key", symbol);
      Object v = r.json().getValue(symbol);
      if (Boolean.FALSE.equals(v)) {
        out.put(symbol, null);
      } else if (v instanceof String id) {
        if (!MARKET_ID.matcher(id).matches()) throw new ConfigException(key, "a market id", id);
        String quote = rule.quoteOfId(id, MarketIds.quote(symbol));
        out.put(symbol, new Market(id, quote));
      } else if (v instanceof JsonObject) {
        ConfigReader m = r.section(symbol);
        String id = m.requiredString("id");
        if (!MARKET_ID.matcher(id).matches())
          throw new ConfigException(m.key("id"), "a market id", id);
        String quote = m.string("quote", MarketIds.quote(symbol));
        if (!CURRENCY.matcher(quote).matches())
          throw new ConfigException(m.key("quote"), "a currency code like USD", quote);
        out.put(symbol, new Market(id, quote));
      } else {
        throw new ConfigException(key, "a market id string, {id, quote}, or false", v);
      }
    }
    return out;
  }

  private static Map<String, UniswapPool> pools(ConfigReader r) {
    Map<String, UniswapPool> out = new LinkedHashMap<>();
    for (String symbol : r.json().fieldNames()) {
      if (!Symbols.isCanonical(symbol))
        throw new ConfigException(
            r.key(symbol), "a canonical symbol like ETH/USDT as the key", symbol);
      ConfigReader p = r.section(symbol);
      String address = p.requiredString("address");
      if (!ADDRESS.matcher(address).matches())
        throw new ConfigException(
            p.key("address"), "a contract address 0x + 40 hex digits", address);
      int d0 = p.intValue("token0Decimals", -1, 0, 36);
      int d1 = p.intValue("token1Decimals", -1, 0, 36);
      if (d0 < 0) throw new ConfigException(p.key("token0Decimals"), "an integer in [0, 36]", null);
      if (d1 < 0) throw new ConfigException(p.key("token1Decimals"), "an integer in [0, 36]", null);
      String base = p.string("base", "token0");
      if (!base.equals("token0") && !base.equals("token1"))
        throw new ConfigException(p.key("base"), "token0 or token1", base);
      String quote = p.string("quote", MarketIds.quote(symbol));
      if (!CURRENCY.matcher(quote).matches())
        throw new ConfigException(p.key("quote"), "a currency code like USDC", quote);
      out.put(
          symbol,
          new UniswapPool(
              address.toLowerCase(java.util.Locale.ROOT), d0, d1, base.equals("token0"), quote));
    }
    return out;
  }

  /** This source's markets for the given symbols (conventions + overrides). */
  public MarketMap marketMap(List<String> symbols) {
    return MarketMap.of(marketRule, symbols, markets);
  }
}
