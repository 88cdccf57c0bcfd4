package oracle.simulator;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import oracle.exchange.Kline;
import oracle.exchange.MarketIds;
import oracle.exchange.UniswapPool;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.uniswap.UniswapV3Adapter;

/**
 * A test double of every price source, speaking each one's real wire format: Binance, Coinbase
 * Exchange, Kraken, OKX, Bybit, Upbit (REST) and Uniswap v3 pools over Ethereum JSON-RPC (single or
 * batch: {@code eth_call} of {@code slot0()}, {@code observe(uint32[])}, {@code token0()}, {@code
 * token1()}, the tokens' {@code balanceOf(pool)}, and {@code eth_getBlockByNumber}). A pool's spot
 * ({@code slot0}) and its observation history ({@code observe}) are scripted apart, so a test can
 * move one without the other, as a flash loan moves the spot for a block while the TWAP barely
 * moves. Each exchange listens on its own port, as the real ones are separate hosts, so a slow
 * exchange does not share a connection pool with the rest.
 *
 * <pre>{@code
 * FakeExchangeServer fake = TestEnv.await(FakeExchangeServer.start(vertx));
 * fake.price("binance", "BTC/USDT", 100_000).liquidity("binance", "BTC/USDT", 5e9).minuteVolume("binance", "BTC/USDT", 2.5);
 * fake.price("upbit", "BTC/USDT", 140_000_000);          // Upbit's KRW-BTC market, in KRW
 * fake.uniswapPool("ETH/USDT", pool, 3_000);              // spot = TWAP = 3,000, 1,000 ETH + 3,000,000 USDT
 * fake.uniswapSpot("ETH/USDT", 3_900);                    // slot0 only; observe still says 3,000
 * fake.fault("okx", Fault.status(500));                  // or delay / malformed / absurdPrice / stale / hang
 * config.put("sources", fake.sourcesConfig());           // every source's url pointed at the fake
 * }</pre>
 *
 * Canonical-symbol methods use each exchange's conventional market id ({@link MarketIds}); the
 * {@code market(...)} methods take the exchange's own id. All state is thread-safe so tests can
 * script it from the test thread while the server runs.
 */
public final class FakeExchangeServer {
  /** Every source an {@link oracle.exchange.ExchangeSpec} describes, one port each. */
  public static final List<String> EXCHANGES = oracle.exchange.registry.Exchanges.NAMES;

  /** The exchanges read through markets (not configured pools): the CEXs. */
  public static final List<String> MARKET_EXCHANGES =
      oracle.exchange.registry.Exchanges.ALL.stream()
          .filter(s -> !s.pools())
          .map(oracle.exchange.ExchangeSpec::name)
          .toList();

  /** Scripted state of one market. */
  private static final class MarketState {
    volatile double price;
    volatile double liquidity = 1_000_000; // 24 h quote volume
    volatile double minuteVolume = Double.NaN;
    final Map<Long, Kline> klines = new ConcurrentHashMap<>();
  }

  /** A pool: spot (slot0), TWAP (observe), balances in whole base and quote tokens. */
  private record PoolState(
      UniswapPool pool, double spot, double twap, double baseTokens, double quoteTokens) {
    String token(int i) {
      // Token addresses derived from the pool's: token0 = pool xor 1, token1 = pool xor 2.
      return String.format(
          "0x%040x",
          new BigInteger(pool.address().substring(2), 16).xor(BigInteger.valueOf(i + 1)));
    }
  }

  private final Vertx vertx;
  private final Map<String, Map<String, MarketState>> markets = new ConcurrentHashMap<>();
  private final Map<String, PoolState> pools = new ConcurrentHashMap<>();
  private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final Map<String, CachedBody> cache = new ConcurrentHashMap<>();
  private volatile long cacheMs;

  private record CachedBody(long version, long madeAt, String text) {}

  private FakeExchangeServer(Vertx vertx) {
    this.vertx = vertx;
    for (String e : EXCHANGES) {
      markets.put(e, new ConcurrentHashMap<>());
      faults.put(e, new CopyOnWriteArrayList<>());
      requests.put(e, new AtomicLong());
    }
  }

  /** Starts one listener per exchange on free ports of 127.0.0.1. */
  public static Future<FakeExchangeServer> start(Vertx vertx) {
    return start(vertx, 0);
  }

  /**
   * Starts one listener per exchange on 127.0.0.1, on {@code firstPort} + the exchange's index in
   * {@link #EXCHANGES} (7 ports), or on free ports when {@code firstPort} is 0.
   */
  public static Future<FakeExchangeServer> start(Vertx vertx, int firstPort) {
    FakeExchangeServer fake = new FakeExchangeServer(vertx);
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < EXCHANGES.size(); i++) {
      String exchange = EXCHANGES.get(i);
      HttpServer server = vertx.createHttpServer();
      fake.servers.put(exchange, server);
      listening.add(
          server
              .requestHandler(fake.router(exchange))
              .listen(firstPort == 0 ? 0 : firstPort + i, "127.0.0.1"));
    }
    return Future.all(listening).map(fake);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    servers.values().forEach(s -> closing.add(s.close()));
    return Future.join(closing).mapEmpty();
  }

  public String url(String exchange) {
    HttpServer s = servers.get(exchange);
    if (s == null) throw new IllegalArgumentException("unknown exchange " + exchange);
    return "http://127.0.0.1:" + s.actualPort() + (exchange.equals("uniswap") ? "/rpc" : "");
  }

  /**
   * {@code sources} configuration pointing every source (and the scripted Uniswap pools) at this
   * fake.
   */
  public JsonObject sourcesConfig() {
    JsonObject out = new JsonObject();
    for (String e : EXCHANGES) out.put(e, new JsonObject().put("url", url(e)));
    JsonObject poolsJson = new JsonObject();
    pools.forEach(
        (symbol, p) ->
            poolsJson.put(
                symbol,
                new JsonObject()
                    .put("address", p.pool().address())
                    .put("token0Decimals", p.pool().token0Decimals())
                    .put("token1Decimals", p.pool().token1Decimals())
                    .put("base", p.pool().baseIsToken0() ? "token0" : "token1")
                    .put("quote", p.pool().quoteCurrency())));
    out.getJsonObject("uniswap").put("pools", poolsJson);
    return out;
  }

  /**
   * Serves a GET answer again for up to {@code ms} while nothing was scripted in between (0 = off,
   * the default). Benchmarks turn it on so the fake spends little CPU; exchange timestamps then lag
   * by up to {@code ms}.
   */
  public FakeExchangeServer cacheResponses(long ms) {
    cacheMs = ms;
    cache.clear();
    return this;
  }

  // ---- scripting by canonical symbol ----

  public FakeExchangeServer price(String exchange, String symbol, double price) {
    listedAs(exchange, symbol);
    return market(exchange, Exchanges.derive(exchange, symbol).id(), price);
  }

  /**
   * The same price on every CEX whose market is quoted in the symbol's quote (not Upbit, which
   * quotes KRW; script it separately).
   */
  public FakeExchangeServer priceEverywhere(String symbol, double price) {
    for (String e : MARKET_EXCHANGES)
      if (Exchanges.derive(e, symbol).quoteCurrency().equals(MarketIds.quote(symbol)))
        price(e, symbol, price);
    return this;
  }

  public FakeExchangeServer liquidity(String exchange, String symbol, double quoteVolume24h) {
    version.incrementAndGet();
    state(exchange, Exchanges.derive(exchange, symbol).id()).liquidity = quoteVolume24h;
    return this;
  }

  /**
   * The volume the exchange reports for the current minute's 1-minute kline (NaN: no current
   * kline).
   */
  public FakeExchangeServer minuteVolume(String exchange, String symbol, double volume) {
    version.incrementAndGet();
    state(exchange, Exchanges.derive(exchange, symbol).id()).minuteVolume = volume;
    return this;
  }

  /** Historical 1-minute klines served by the kline endpoint (for backfill tests). */
  public FakeExchangeServer klines(String exchange, String symbol, Collection<Kline> klines) {
    version.incrementAndGet();
    MarketState s = state(exchange, Exchanges.derive(exchange, symbol).id());
    klines.forEach(k -> s.klines.put(k.time(), k));
    return this;
  }

  // ---- scripting by the exchange's own market id ----

  public FakeExchangeServer market(String exchange, String marketId, double price) {
    version.incrementAndGet();
    state(exchange, marketId).price = price;
    return this;
  }

  public FakeExchangeServer removeMarket(String exchange, String marketId) {
    version.incrementAndGet();
    markets.get(exchange).remove(marketId);
    return this;
  }

  /**
   * A pool at {@code price} (spot and TWAP), holding 1,000 base tokens and their value in quote
   * tokens.
   */
  public FakeExchangeServer uniswapPool(String symbol, UniswapPool pool, double price) {
    version.incrementAndGet();
    pools.put(symbol, new PoolState(pool, price, price, 1_000, 1_000 * price));
    return this;
  }

  /** Moves the pool's spot price ({@code slot0}) only; its observation history (the TWAP) stays. */
  public FakeExchangeServer uniswapSpot(String symbol, double price) {
    version.incrementAndGet();
    pools.computeIfPresent(
        symbol,
        (k, p) -> new PoolState(p.pool(), price, p.twap(), p.baseTokens(), p.quoteTokens()));
    return this;
  }

  /** Moves the pool's TWAP ({@code observe}) only. */
  public FakeExchangeServer uniswapTwap(String symbol, double price) {
    version.incrementAndGet();
    pools.computeIfPresent(
        symbol,
        (k, p) -> new PoolState(p.pool(), p.spot(), price, p.baseTokens(), p.quoteTokens()));
    return this;
  }

  /** The pool's token balances, in whole base and quote tokens. */
  public FakeExchangeServer uniswapBalances(String symbol, double baseTokens, double quoteTokens) {
    version.incrementAndGet();
    pools.computeIfPresent(
        symbol, (k, p) -> new PoolState(p.pool(), p.spot(), p.twap(), baseTokens, quoteTokens));
    return this;
  }

  // ---- faults and observation ----

  public FakeExchangeServer fault(String exchange, Fault fault) {
    version.incrementAndGet();
    faults.get(exchange).add(fault);
    return this;
  }

  public FakeExchangeServer clearFaults(String exchange) {
    version.incrementAndGet();
    faults.get(exchange).clear();
    return this;
  }

  public FakeExchangeServer clearFaults() {
    version.incrementAndGet();
    faults.values().forEach(List::clear);
    return this;
  }

  /** Requests this exchange has received (any endpoint). */
  public long requests(String exchange) {
    return requests.get(exchange).get();
  }

  private MarketState state(String exchange, String marketId) {
    Map<String, MarketState> m = markets.get(exchange);
    if (m == null) throw new IllegalArgumentException("unknown exchange " + exchange);
    return m.computeIfAbsent(marketId, k -> new MarketState());
  }

  // ---- serving ----

  private Router router(String exchange) {
    Router r = Router.router(vertx);
    r.route()
        .handler(
            ctx -> {
              requests.get(exchange).incrementAndGet();
              long delay = 0;
              for (Fault f : faults.get(exchange)) {
                if (f instanceof Fault.Delay d) delay += d.ms();
                if (f instanceof Fault.Hang) return;
              }
              if (delay > 0) vertx.setTimer(delay, id -> ctx.next());
              else ctx.next();
            });
    r.route()
        .handler(
            ctx -> {
              for (Fault f : faults.get(exchange)) {
                if (f instanceof Fault.Status s) {
                  ctx.response()
                      .setStatusCode(s.code())
                      .putHeader("content-type", "application/json")
                      .end("{\"msg\":\"fault " + s.code() + "\"}");
                  return;
                }
                if (f instanceof Fault.Malformed) {
                  ctx.response()
                      .putHeader("content-type", "application/json")
                      .end("{\"this is\": not json");
                  return;
                }
              }
              ctx.next();
            });
    switch (exchange) {
      case "binance" -> {
        r.get("/api/v3/ticker/24hr")
            .handler(ctx -> cached(ctx, () -> binanceTickers(ctx.request().params())));
        r.get("/api/v3/klines").handler(ctx -> json(ctx, binanceKlines(ctx.request().params())));
        r.get("/api/v3/exchangeInfo").handler(ctx -> json(ctx, binanceExchangeInfo()));
      }
      case "coinbase" -> {
        r.get("/products/:id/ticker").handler(this::coinbaseTicker);
        r.get("/products").handler(ctx -> json(ctx, coinbaseProducts()));
        r.get("/products/:id/candles")
            .handler(
                ctx -> json(ctx, coinbaseCandles(ctx.pathParam("id"), ctx.request().params())));
      }
      case "kraken" -> {
        r.get("/0/public/Ticker")
            .handler(ctx -> cached(ctx, () -> krakenTickers(ctx.request().params())));
        r.get("/0/public/OHLC").handler(ctx -> json(ctx, krakenOhlc(ctx.request().params())));
        r.get("/0/public/AssetPairs").handler(ctx -> json(ctx, krakenAssetPairs()));
      }
      case "okx" -> {
        r.get("/api/v5/market/tickers").handler(ctx -> cached(ctx, this::okxTickers));
        r.get("/api/v5/market/candles")
            .handler(ctx -> json(ctx, okxCandles(ctx.request().params())));
        r.get("/api/v5/market/history-candles")
            .handler(ctx -> json(ctx, okxCandles(ctx.request().params())));
        r.get("/api/v5/public/instruments")
            .handler(ctx -> json(ctx, okxInstruments(ctx.request().params().get("instType"))));
      }
      case "bybit" -> {
        r.get("/v5/market/tickers").handler(ctx -> cached(ctx, this::bybitTickers));
        r.get("/v5/market/kline").handler(ctx -> json(ctx, bybitKlines(ctx.request().params())));
        r.get("/v5/market/instruments-info")
            .handler(ctx -> json(ctx, bybitInstruments(ctx.request().params().get("category"))));
      }
      case "upbit" -> {
        r.get("/v1/ticker")
            .handler(ctx -> cached(ctx, () -> upbitTickers(ctx.request().params().get("markets"))));
        r.get("/v1/ticker/all")
            .handler(
                ctx -> {
                  List<String> quotes =
                      List.of(
                          String.valueOf(ctx.request().params().get("quote_currencies"))
                              .split(","));
                  cached(
                      ctx,
                      () ->
                          upbitTickers(
                              String.join(
                                  ",",
                                  markets.get("upbit").keySet().stream()
                                      .filter(
                                          id ->
                                              quotes.contains(
                                                  id.substring(0, Math.max(0, id.indexOf('-')))))
                                      .toList())));
                });
        r.get("/v1/candles/minutes/1")
            .handler(ctx -> json(ctx, upbitCandles(ctx.request().params())));
        r.get("/v1/market/all")
            .handler(
                ctx ->
                    json(
                        ctx,
                        upbitMarketAll("true".equals(ctx.request().params().get("is_details")))));
      }
      case "uniswap" -> {
        r.post().handler(BodyHandler.create());
        r.post().handler(this::jsonRpc);
      }
      default -> throw new IllegalStateException(exchange);
    }
    return r;
  }

  private void json(RoutingContext ctx, Object body) {
    String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
    ctx.response().putHeader("content-type", "application/json").end(text);
  }

  /** {@link #json} through the response cache (when on): the body is built only on a miss. */
  private void cached(RoutingContext ctx, java.util.function.Supplier<Object> body) {
    long ttl = cacheMs;
    if (ttl <= 0) {
      json(ctx, body.get());
      return;
    }
    String key = ctx.request().uri();
    long now = System.currentTimeMillis();
    CachedBody c = cache.get(key);
    if (c == null || c.version() != version.get() || now - c.madeAt() > ttl) {
      Object b = body.get();
      c =
          new CachedBody(
              version.get(),
              now,
              b instanceof JsonObject o ? o.encode() : ((JsonArray) b).encode());
      cache.put(key, c);
    }
    ctx.response().putHeader("content-type", "application/json").end(c.text());
  }

  private double factor(String exchange) {
    double f = 1;
    for (Fault x : faults.get(exchange)) {
      if (x instanceof Fault.PriceFactor p) f *= p.factor();
    }
    return f;
  }

  private long now(String exchange) {
    long t = System.currentTimeMillis();
    for (Fault x : faults.get(exchange)) {
      if (x instanceof Fault.Stale s) t -= s.ms();
    }
    return t;
  }

  private static String s(double d) {
    return Double.isFinite(d) ? BigDecimal.valueOf(d).toPlainString() : "0";
  }

  private static long minuteNow() {
    return Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
  }

  /**
   * Klines of a market in [from, to] (seconds), ascending: scripted history plus the current
   * minute's kline.
   */
  private List<Kline> klinesOf(String exchange, String id, MarketState m, long from, long to) {
    TreeMap<Long, Kline> out = new TreeMap<>();
    m.klines.forEach(
        (t, k) -> {
          if (t >= from && t <= to) out.put(t, k);
        });
    long minute = minuteNow();
    if (Double.isFinite(m.minuteVolume) && minute >= from && minute <= to) {
      double p = m.price * factor(exchange);
      out.put(minute, new Kline(exchange, id, minute, p, p, p, p, m.minuteVolume));
    }
    return new ArrayList<>(out.values());
  }

  private static long param(MultiMap p, String name, long def) {
    String v = p.get(name);
    return v == null ? def : Long.parseLong(v);
  }

  // Binance

  private JsonArray binanceTickers(MultiMap params) {
    List<String> only = null;
    if (params.get("symbols") != null) {
      only = new JsonArray(params.get("symbols")).stream().map(Object::toString).toList();
    }
    double f = factor("binance");
    long now = now("binance");
    JsonArray out = new JsonArray();
    for (Map.Entry<String, MarketState> e : markets.get("binance").entrySet()) {
      if (only != null && !only.contains(e.getKey())) continue;
      MarketState m = e.getValue();
      double p = m.price * f;
      out.add(
          new JsonObject()
              .put("symbol", e.getKey())
              .put("priceChange", "0.00000000")
              .put("priceChangePercent", "0.000")
              .put("weightedAvgPrice", s(p))
              .put("prevClosePrice", s(p))
              .put("lastPrice", s(p))
              .put("lastQty", "0.01000000")
              .put("bidPrice", s(p * 0.9999))
              .put("bidQty", "1.00000000")
              .put("askPrice", s(p * 1.0001))
              .put("askQty", "1.00000000")
              .put("openPrice", s(p))
              .put("highPrice", s(p))
              .put("lowPrice", s(p))
              .put("volume", s(m.liquidity / p))
              .put("quoteVolume", s(m.liquidity))
              .put("openTime", now - 86_400_000L)
              .put("closeTime", now)
              .put("firstId", 1)
              .put("lastId", 1000)
              .put("count", 1000));
    }
    return out;
  }

  private JsonArray binanceKlines(MultiMap p) {
    String id = p.get("symbol");
    MarketState m = markets.get("binance").get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long from = param(p, "startTime", 0) / 1000;
    long to = param(p, "endTime", Long.MAX_VALUE / 2) / 1000;
    for (Kline k : klinesOf("binance", id, m, from, to)) {
      out.add(
          new JsonArray()
              .add(k.time() * 1000)
              .add(s(k.open()))
              .add(s(k.high()))
              .add(s(k.low()))
              .add(s(k.close()))
              .add(s(k.volume()))
              .add(k.time() * 1000 + 59_999)
              .add(s(k.volume() * k.close()))
              .add(10)
              .add("0")
              .add("0")
              .add("0"));
    }
    return out;
  }

  // Coinbase

  private void coinbaseTicker(RoutingContext ctx) {
    MarketState m = markets.get("coinbase").get(ctx.pathParam("id"));
    if (m == null) {
      ctx.response()
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end("{\"message\":\"NotFound\"}");
      return;
    }
    double p = m.price * factor("coinbase");
    json(
        ctx,
        new JsonObject()
            .put("ask", s(p * 1.0001))
            .put("bid", s(p * 0.9999))
            .put("volume", s(m.liquidity / p))
            .put("trade_id", 86326522)
            .put("price", s(p))
            .put("size", "0.00698254")
            .put("time", Instant.ofEpochMilli(now("coinbase")).toString()));
  }

  private JsonArray coinbaseCandles(String id, MultiMap p) {
    MarketState m = markets.get("coinbase").get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long from = p.get("start") == null ? 0 : Instant.parse(p.get("start")).getEpochSecond();
    long to =
        p.get("end") == null ? Long.MAX_VALUE / 2 : Instant.parse(p.get("end")).getEpochSecond();
    List<Kline> ks = klinesOf("coinbase", id, m, from, to);
    for (int i = ks.size() - 1; i >= 0; i--) {
      Kline k = ks.get(i);
      out.add(
          new JsonArray()
              .add(k.time())
              .add(k.low())
              .add(k.high())
              .add(k.open())
              .add(k.close())
              .add(k.volume()));
    }
    return out;
  }

  // Kraken

  /** Kraken answers some pairs under their legacy name (XBTUSD → XXBTZUSD); emulate that. */
  static String krakenKey(String id) {
    if (id.length() == 6
        && List.of("XBT", "ETH").contains(id.substring(0, 3))
        && List.of("USD", "EUR").contains(id.substring(3))) {
      return "X" + id.substring(0, 3) + "Z" + id.substring(3);
    }
    return id;
  }

  private JsonObject krakenTickers(MultiMap params) {
    List<String> only = params.get("pair") == null ? null : List.of(params.get("pair").split(","));
    double f = factor("kraken");
    JsonObject result = new JsonObject();
    for (Map.Entry<String, MarketState> e : markets.get("kraken").entrySet()) {
      if (only != null && !only.contains(e.getKey())) continue;
      MarketState m = e.getValue();
      double p = m.price * f;
      String vol = s(m.liquidity / p);
      result.put(
          krakenKey(e.getKey()),
          new JsonObject()
              .put("a", new JsonArray().add(s(p * 1.0001)).add("1").add("1.000"))
              .put("b", new JsonArray().add(s(p * 0.9999)).add("1").add("1.000"))
              .put("c", new JsonArray().add(s(p)).add("0.01000000"))
              .put("v", new JsonArray().add(vol).add(vol))
              .put("p", new JsonArray().add(s(p)).add(s(p)))
              .put("t", new JsonArray().add(100).add(1000))
              .put("l", new JsonArray().add(s(p)).add(s(p)))
              .put("h", new JsonArray().add(s(p)).add(s(p)))
              .put("o", s(p)));
    }
    return new JsonObject().put("error", new JsonArray()).put("result", result);
  }

  private JsonObject krakenOhlc(MultiMap p) {
    String id = p.get("pair");
    MarketState m = markets.get("kraken").get(id);
    if (m == null)
      return new JsonObject().put("error", new JsonArray().add("EQuery:Unknown asset pair"));
    long since = param(p, "since", 0);
    JsonArray rows = new JsonArray();
    for (Kline k : klinesOf("kraken", id, m, since + 1, Long.MAX_VALUE / 2)) {
      rows.add(
          new JsonArray()
              .add(k.time())
              .add(s(k.open()))
              .add(s(k.high()))
              .add(s(k.low()))
              .add(s(k.close()))
              .add(s(k.close()))
              .add(s(k.volume()))
              .add(10));
    }
    return new JsonObject()
        .put("error", new JsonArray())
        .put("result", new JsonObject().put(krakenKey(id), rows).put("last", minuteNow()));
  }

  // OKX

  private JsonObject okxTickers() {
    double f = factor("okx");
    long now = now("okx");
    JsonArray data = new JsonArray();
    markets
        .get("okx")
        .forEach(
            (id, m) -> {
              double p = m.price * f;
              data.add(
                  new JsonObject()
                      .put("instType", "SPOT")
                      .put("instId", id)
                      .put("last", s(p))
                      .put("lastSz", "0.1")
                      .put("askPx", s(p * 1.0001))
                      .put("askSz", "1")
                      .put("bidPx", s(p * 0.9999))
                      .put("bidSz", "1")
                      .put("open24h", s(p))
                      .put("high24h", s(p))
                      .put("low24h", s(p))
                      .put("volCcy24h", s(m.liquidity))
                      .put("vol24h", s(m.liquidity / p))
                      .put("ts", Long.toString(now))
                      .put("sodUtc0", s(p))
                      .put("sodUtc8", s(p)));
            });
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }

  private JsonObject okxCandles(MultiMap p) {
    String id = p.get("instId");
    MarketState m = markets.get("okx").get(id);
    JsonArray data = new JsonArray();
    if (m != null) {
      long to = param(p, "after", Long.MAX_VALUE / 2) / 1000 - 1; // exclusive upper bound, ms
      long from = (param(p, "before", 0) + 1) / 1000; // exclusive lower bound, ms
      List<Kline> ks = klinesOf("okx", id, m, from, to);
      for (int i = ks.size() - 1; i >= 0; i--) {
        Kline k = ks.get(i);
        data.add(
            new JsonArray()
                .add(Long.toString(k.time() * 1000))
                .add(s(k.open()))
                .add(s(k.high()))
                .add(s(k.low()))
                .add(s(k.close()))
                .add(s(k.volume()))
                .add(s(k.volume() * k.close()))
                .add(s(k.volume() * k.close()))
                .add(k.time() == minuteNow() ? "0" : "1"));
      }
    }
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }

  // Bybit

  private JsonObject bybitTickers() {
    double f = factor("bybit");
    JsonArray list = new JsonArray();
    markets
        .get("bybit")
        .forEach(
            (id, m) -> {
              double p = m.price * f;
              list.add(
                  new JsonObject()
                      .put("symbol", id)
                      .put("bid1Price", s(p * 0.9999))
                      .put("bid1Size", "1")
                      .put("ask1Price", s(p * 1.0001))
                      .put("ask1Size", "1")
                      .put("lastPrice", s(p))
                      .put("prevPrice24h", s(p))
                      .put("price24hPcnt", "0")
                      .put("highPrice24h", s(p))
                      .put("lowPrice24h", s(p))
                      .put("turnover24h", s(m.liquidity))
                      .put("volume24h", s(m.liquidity / p))
                      .put("usdIndexPrice", s(p)));
            });
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put("result", new JsonObject().put("category", "spot").put("list", list))
        .put("retExtInfo", new JsonObject())
        .put("time", now("bybit"));
  }

  private JsonObject bybitKlines(MultiMap p) {
    String id = p.get("symbol");
    MarketState m = markets.get("bybit").get(id);
    JsonArray list = new JsonArray();
    if (m != null) {
      List<Kline> ks =
          klinesOf(
              "bybit",
              id,
              m,
              param(p, "start", 0) / 1000,
              param(p, "end", Long.MAX_VALUE / 2) / 1000);
      for (int i = ks.size() - 1; i >= 0; i--) {
        Kline k = ks.get(i);
        list.add(
            new JsonArray()
                .add(Long.toString(k.time() * 1000))
                .add(s(k.open()))
                .add(s(k.high()))
                .add(s(k.low()))
                .add(s(k.close()))
                .add(s(k.volume()))
                .add(s(k.volume() * k.close())));
      }
    }
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put("result", new JsonObject().put("symbol", id).put("category", "spot").put("list", list))
        .put("retExtInfo", new JsonObject())
        .put("time", System.currentTimeMillis());
  }

  // Upbit

  private JsonArray upbitTickers(String wanted) {
    double f = factor("upbit");
    long now = now("upbit");
    JsonArray out = new JsonArray();
    if (wanted == null || wanted.isEmpty()) return out;
    for (String id : wanted.split(",")) {
      MarketState m = markets.get("upbit").get(id);
      if (m == null) continue;
      double p = m.price * f;
      String date =
          DateTimeFormatter.ofPattern("yyyyMMdd")
              .format(LocalDateTime.ofEpochSecond(now / 1000, 0, ZoneOffset.UTC));
      String time =
          DateTimeFormatter.ofPattern("HHmmss")
              .format(LocalDateTime.ofEpochSecond(now / 1000, 0, ZoneOffset.UTC));
      out.add(
          new JsonObject()
              .put("market", id)
              .put("trade_date", date)
              .put("trade_time", time)
              .put("trade_date_kst", date)
              .put("trade_time_kst", time)
              .put("trade_timestamp", now)
              .put("opening_price", p)
              .put("high_price", p)
              .put("low_price", p)
              .put("trade_price", p)
              .put("prev_closing_price", p)
              .put("change", "EVEN")
              .put("change_price", 0.0)
              .put("change_rate", 0.0)
              .put("signed_change_price", 0.0)
              .put("signed_change_rate", 0.0)
              .put("trade_volume", 0.01)
              .put("acc_trade_price", m.liquidity / 2)
              .put("acc_trade_price_24h", m.liquidity)
              .put("acc_trade_volume", m.liquidity / p / 2)
              .put("acc_trade_volume_24h", m.liquidity / p)
              .put("highest_52_week_price", p)
              .put("highest_52_week_date", "2024-03-14")
              .put("lowest_52_week_price", p)
              .put("lowest_52_week_date", "2023-09-11")
              .put("timestamp", now));
    }
    return out;
  }

  private JsonArray upbitCandles(MultiMap p) {
    String id = p.get("market");
    MarketState m = markets.get("upbit").get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long to =
        p.get("to") == null
            ? Long.MAX_VALUE / 2
            : Instant.parse(p.get("to")).getEpochSecond() - 1; // exclusive
    long count = param(p, "count", 200);
    List<Kline> ks = klinesOf("upbit", id, m, to - count * 60 + 1, to);
    for (int i = ks.size() - 1; i >= 0; i--) {
      Kline k = ks.get(i);
      LocalDateTime utc = LocalDateTime.ofEpochSecond(k.time(), 0, ZoneOffset.UTC);
      out.add(
          new JsonObject()
              .put("market", id)
              .put(
                  "candle_date_time_utc",
                  utc.toString().length() == 16 ? utc + ":00" : utc.toString())
              .put("candle_date_time_kst", utc.plusHours(9).toString())
              .put("opening_price", k.open())
              .put("high_price", k.high())
              .put("low_price", k.low())
              .put("trade_price", k.close())
              .put("timestamp", k.time() * 1000 + 59_000)
              .put("candle_acc_trade_price", k.volume() * k.close())
              .put("candle_acc_trade_volume", k.volume())
              .put("unit", 1));
    }
    return out;
  }

  // ---- instrument endpoints (whole-market discovery) ----

  /** How an exchange lists one market: canonical assets and whether it trades. */
  private record Listing(String base, String quote, boolean trading) {}

  private final Map<String, Map<String, Listing>> listings = new ConcurrentHashMap<>();

  /**
   * Lists {@code symbol}'s conventional market on {@code exchange}'s instrument endpoint, trading,
   * with a price (markets scripted by {@link #price} are listed too). Upbit lists a {@code X/USDT}
   * symbol as {@code KRW-X}.
   */
  public FakeExchangeServer listMarket(String exchange, String symbol, double price) {
    return price(exchange, symbol, price);
  }

  /**
   * Delists {@code symbol}'s market the way the exchange shows it: Binance {@code BREAK}, Coinbase
   * {@code delisted} (trading disabled), Kraken {@code cancel_only}, OKX {@code suspend}, Bybit
   * {@code Closed}; Upbit drops it from {@code /v1/market/all}. Its ticker is no longer served.
   */
  public FakeExchangeServer delistMarket(String exchange, String symbol) {
    version.incrementAndGet();
    String id = Exchanges.derive(exchange, symbol).id();
    Listing l = listedAs(exchange, symbol);
    listings.get(exchange).put(id, new Listing(l.base(), l.quote(), false));
    markets.get(exchange).remove(id);
    return this;
  }

  private Listing listedAs(String exchange, String symbol) {
    String quote = Exchanges.derive(exchange, symbol).quoteCurrency();
    Map<String, Listing> l = listings.computeIfAbsent(exchange, k -> new ConcurrentHashMap<>());
    Listing fresh = new Listing(MarketIds.base(symbol), quote, true);
    String id = Exchanges.derive(exchange, symbol).id();
    Listing prev = l.get(id);
    if (prev == null || !prev.trading()) l.put(id, fresh);
    return l.get(id);
  }

  /**
   * Every market the exchange lists now: scripted listings plus markets scripted by id only (assets
   * guessed from the id).
   */
  private Map<String, Listing> instruments(String exchange) {
    Map<String, Listing> out = new TreeMap<>(listings.getOrDefault(exchange, Map.of()));
    for (String id : markets.get(exchange).keySet()) {
      if (out.containsKey(id)) continue;
      Listing guessed = guess(exchange, id);
      if (guessed != null) out.put(id, guessed);
    }
    return out;
  }

  private static Listing guess(String exchange, String id) {
    int dash = id.indexOf('-');
    if (exchange.equals("upbit"))
      return dash > 0 ? new Listing(id.substring(dash + 1), id.substring(0, dash), true) : null;
    if (dash > 0) return new Listing(id.substring(0, dash), id.substring(dash + 1), true);
    for (String q : List.of("USDT", "USDC", "USD", "KRW", "EUR", "BTC", "ETH")) {
      if (id.endsWith(q) && id.length() > q.length()) {
        String base = id.substring(0, id.length() - q.length());
        return new Listing(Exchanges.canonicalAsset(exchange, base), q, true);
      }
    }
    return null;
  }

  /**
   * Kraken's asset names: altnames in {@code wsname}, legacy X/Z names in {@code base}/{@code
   * quote}.
   */
  private static String krakenAlt(String asset) {
    return switch (asset) {
      case "BTC" -> "XBT";
      case "DOGE" -> "XDG";
      default -> asset;
    };
  }

  private static String krakenLegacy(String alt) {
    if (List.of("XBT", "XDG", "ETH", "LTC", "XRP").contains(alt)) return "X" + alt;
    if (List.of("USD", "EUR", "GBP", "JPY", "CAD").contains(alt)) return "Z" + alt;
    return alt;
  }

  private JsonObject binanceExchangeInfo() {
    JsonArray symbols =
        instrumentRows(
            "binance",
            (id, l) ->
                new JsonObject()
                    .put("symbol", id)
                    .put("status", l.trading() ? "TRADING" : "BREAK")
                    .put("baseAsset", l.base())
                    .put("baseAssetPrecision", 8)
                    .put("quoteAsset", l.quote())
                    .put("quotePrecision", 8)
                    .put("quoteAssetPrecision", 8)
                    .put("baseCommissionPrecision", 8)
                    .put("quoteCommissionPrecision", 8)
                    .put(
                        "orderTypes",
                        new JsonArray()
                            .add("LIMIT")
                            .add("LIMIT_MAKER")
                            .add("MARKET")
                            .add("STOP_LOSS_LIMIT")
                            .add("TAKE_PROFIT_LIMIT"))
                    .put("icebergAllowed", true)
                    .put("ocoAllowed", true)
                    .put("otoAllowed", true)
                    .put("quoteOrderQtyMarketAllowed", true)
                    .put("allowTrailingStop", true)
                    .put("cancelReplaceAllowed", true)
                    .put("isSpotTradingAllowed", l.trading())
                    .put("isMarginTradingAllowed", false)
                    .put(
                        "filters",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("filterType", "PRICE_FILTER")
                                    .put("minPrice", "0.01000000")
                                    .put("maxPrice", "1000000.00000000")
                                    .put("tickSize", "0.01000000")))
                    .put("permissions", new JsonArray())
                    .put("permissionSets", new JsonArray().add(new JsonArray().add("SPOT")))
                    .put("defaultSelfTradePreventionMode", "EXPIRE_MAKER")
                    .put(
                        "allowedSelfTradePreventionModes",
                        new JsonArray()
                            .add("EXPIRE_TAKER")
                            .add("EXPIRE_MAKER")
                            .add("EXPIRE_BOTH")));
    return new JsonObject()
        .put("timezone", "UTC")
        .put("serverTime", System.currentTimeMillis())
        .put(
            "rateLimits",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("rateLimitType", "REQUEST_WEIGHT")
                        .put("interval", "MINUTE")
                        .put("intervalNum", 1)
                        .put("limit", 6000)))
        .put("exchangeFilters", new JsonArray())
        .put("symbols", symbols);
  }

  private JsonArray coinbaseProducts() {
    return instrumentRows(
        "coinbase",
        (id, l) ->
            new JsonObject()
                .put("id", id)
                .put("base_currency", l.base())
                .put("quote_currency", l.quote())
                .put("quote_increment", "0.01")
                .put("base_increment", "0.00000001")
                .put("display_name", l.base() + "/" + l.quote())
                .put("min_market_funds", "1")
                .put("margin_enabled", false)
                .put("post_only", false)
                .put("limit_only", false)
                .put("cancel_only", false)
                .put("status", l.trading() ? "online" : "delisted")
                .put("status_message", "")
                .put("trading_disabled", !l.trading())
                .put("fx_stablecoin", false)
                .put("max_slippage_percentage", "0.02000000")
                .put("auction_mode", false)
                .put("high_bid_limit_percentage", ""));
  }

  private JsonObject krakenAssetPairs() {
    JsonObject result = new JsonObject();
    instruments("kraken")
        .forEach(
            (id, l) -> {
              String base = krakenAlt(l.base());
              String quote = krakenAlt(l.quote());
              result.put(
                  krakenKey(id),
                  new JsonObject()
                      .put("altname", id)
                      .put("wsname", base + "/" + quote)
                      .put("aclass_base", "currency")
                      .put("base", krakenLegacy(base))
                      .put("aclass_quote", "currency")
                      .put("quote", krakenLegacy(quote))
                      .put("lot", "unit")
                      .put("cost_decimals", 5)
                      .put("pair_decimals", 1)
                      .put("lot_decimals", 8)
                      .put("lot_multiplier", 1)
                      .put("leverage_buy", new JsonArray())
                      .put("leverage_sell", new JsonArray())
                      .put("fees", new JsonArray().add(new JsonArray().add(0).add(0.4)))
                      .put("fees_maker", new JsonArray().add(new JsonArray().add(0).add(0.25)))
                      .put("fee_volume_currency", "ZUSD")
                      .put("margin_call", 80)
                      .put("margin_stop", 40)
                      .put("ordermin", "0.00005")
                      .put("costmin", "0.5")
                      .put("tick_size", "0.1")
                      .put("status", l.trading() ? "online" : "cancel_only"));
            });
    return new JsonObject().put("error", new JsonArray()).put("result", result);
  }

  private JsonObject okxInstruments(String instType) {
    if (!"SPOT".equals(instType)) {
      return new JsonObject()
          .put("code", "51000")
          .put("msg", "Parameter instType error")
          .put("data", new JsonArray());
    }
    JsonArray data =
        instrumentRows(
            "okx",
            (id, l) ->
                new JsonObject()
                    .put("alias", "")
                    .put("auctionEndTime", "")
                    .put("baseCcy", l.base())
                    .put("category", "1")
                    .put("ctMult", "")
                    .put("ctType", "")
                    .put("ctVal", "")
                    .put("ctValCcy", "")
                    .put("expTime", "")
                    .put("instFamily", "")
                    .put("instId", id)
                    .put("instType", "SPOT")
                    .put("lever", "")
                    .put("listTime", "1606468572000")
                    .put("lotSz", "0.00000001")
                    .put("maxIcebergSz", "9999999999")
                    .put("maxLmtAmt", "1000000")
                    .put("maxLmtSz", "9999999999")
                    .put("maxMktAmt", "1000000")
                    .put("maxMktSz", "1000000")
                    .put("maxStopSz", "1000000")
                    .put("maxTriggerSz", "9999999999")
                    .put("maxTwapSz", "9999999999")
                    .put("minSz", "0.00001")
                    .put("optType", "")
                    .put("quoteCcy", l.quote())
                    .put("settleCcy", "")
                    .put("state", l.trading() ? "live" : "suspend")
                    .put("ruleType", "normal")
                    .put("stk", "")
                    .put("tickSz", "0.1")
                    .put("uly", ""));
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }

  private JsonObject bybitInstruments(String category) {
    JsonArray list =
        !"spot".equals(category)
            ? new JsonArray()
            : instrumentRows(
                "bybit",
                (id, l) ->
                    new JsonObject()
                        .put("symbol", id)
                        .put("baseCoin", l.base())
                        .put("quoteCoin", l.quote())
                        .put("innovation", "0")
                        .put("status", l.trading() ? "Trading" : "Closed")
                        .put("marginTrading", "none")
                        .put("stTag", "0")
                        .put(
                            "lotSizeFilter",
                            new JsonObject()
                                .put("basePrecision", "0.000001")
                                .put("quotePrecision", "0.00000001")
                                .put("minOrderQty", "0.000048")
                                .put("maxOrderQty", "71.73956243")
                                .put("minOrderAmt", "1")
                                .put("maxOrderAmt", "2000000"))
                        .put("priceFilter", new JsonObject().put("tickSize", "0.01"))
                        .put(
                            "riskParameters",
                            new JsonObject()
                                .put("priceLimitRatioX", "0.01")
                                .put("priceLimitRatioY", "0.02")));
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put(
            "result",
            new JsonObject().put("category", category).put("list", list).put("nextPageCursor", ""))
        .put("retExtInfo", new JsonObject())
        .put("time", System.currentTimeMillis());
  }

  private JsonArray upbitMarketAll(boolean details) {
    return instrumentRows(
        "upbit",
        (id, l) -> {
          if (!l.trading()) return null; // Upbit lists only open markets
          JsonObject m =
              new JsonObject()
                  .put("market", id)
                  .put("korean_name", l.base())
                  .put("english_name", l.base());
          if (details) m.put("market_warning", "NONE");
          return m;
        });
  }

  /**
   * The listing loop of every array-shaped instrument answer: one row per market the exchange lists
   * now, in id order; {@code row} gives null to leave a market out.
   */
  private JsonArray instrumentRows(
      String exchange, java.util.function.BiFunction<String, Listing, JsonObject> row) {
    JsonArray out = new JsonArray();
    instruments(exchange)
        .forEach(
            (id, l) -> {
              JsonObject r = row.apply(id, l);
              if (r != null) out.add(r);
            });
    return out;
  }

  // Uniswap over JSON-RPC

  private void jsonRpc(RoutingContext ctx) {
    Object body;
    try {
      String text = ctx.body().asString().trim();
      body = text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    } catch (RuntimeException e) {
      json(ctx, rpcError(null, -32700, "Parse error"));
      return;
    }
    if (body instanceof JsonArray batch) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < batch.size(); i++) out.add(rpcCall(batch.getJsonObject(i)));
      json(ctx, out);
    } else {
      json(ctx, rpcCall((JsonObject) body));
    }
  }

  private JsonObject rpcCall(JsonObject req) {
    Object id = req.getValue("id");
    if ("eth_getBlockByNumber".equals(req.getString("method"))) {
      // Mainnet-shaped block header (the fields the oracle reads); Fault.stale ages it, as a stuck
      // node would.
      long ts = now("uniswap") / 1000;
      return result(
          id,
          new JsonObject()
              .put("number", "0x" + Long.toHexString(ts / 12))
              .put("timestamp", "0x" + Long.toHexString(ts))
              .put("hash", "0x" + word(BigInteger.valueOf(ts)))
              .put("transactions", new JsonArray()));
    }
    if (!"eth_call".equals(req.getString("method")))
      return rpcError(id, -32601, "the method does not exist/is not available");
    JsonObject call = req.getJsonArray("params").getJsonObject(0);
    String to = call.getString("to", "").toLowerCase(java.util.Locale.ROOT);
    String data = call.getString("data", "");
    String selector = data.length() >= 10 ? data.substring(0, 10) : data;
    double f = factor("uniswap");
    for (PoolState p : pools.values()) {
      if (p.pool().address().equals(to)) {
        switch (selector) {
          case UniswapV3Adapter.SLOT0_SELECTOR -> {
            BigInteger sqrt = UniswapV3Adapter.sqrtPriceX96For(p.spot() * f, p.pool());
            // slot0 returns (sqrtPriceX96, tick, observationIndex, observationCardinality,
            // observationCardinalityNext, feeProtocol, unlocked)
            StringBuilder hex = new StringBuilder("0x").append(word(sqrt));
            long tick = (long) Math.floor(UniswapV3Adapter.tickFor(p.spot() * f, p.pool()));
            hex.append(word(BigInteger.valueOf(tick)))
                .append(word(BigInteger.ONE))
                .append(word(BigInteger.valueOf(180)))
                .append(word(BigInteger.valueOf(180)))
                .append(word(BigInteger.ZERO))
                .append(word(BigInteger.ONE));
            return result(id, hex.toString());
          }
          case UniswapV3Adapter.OBSERVE_SELECTOR -> {
            return result(id, observe(p, data, f));
          }
          case UniswapV3Adapter.TOKEN0_SELECTOR -> {
            return result(id, "0x" + UniswapV3Adapter.word(p.token(0)));
          }
          case UniswapV3Adapter.TOKEN1_SELECTOR -> {
            return result(id, "0x" + UniswapV3Adapter.word(p.token(1)));
          }
          default -> {
            return rpcError(id, 3, "execution reverted");
          }
        }
      }
      for (int i = 0; i < 2; i++) {
        if (p.token(i).equals(to) && selector.equals(UniswapV3Adapter.BALANCE_OF_SELECTOR)) {
          boolean base = (i == 0) == p.pool().baseIsToken0();
          double whole = base ? p.baseTokens() : p.quoteTokens();
          int decimals = i == 0 ? p.pool().token0Decimals() : p.pool().token1Decimals();
          return result(
              id, "0x" + word(new BigDecimal(whole).scaleByPowerOfTen(decimals).toBigInteger()));
        }
      }
    }
    return result(id, "0x");
  }

  /**
   * {@code observe(uint32[] secondsAgos)}: tick cumulatives of a pool that sat at its TWAP's tick,
   * so the mean tick between any two of them is that tick; seconds-per-liquidity cumulatives are
   * zero.
   */
  private static String observe(PoolState p, String data, double factor) {
    String h = data.substring(10);
    int offset = new BigInteger(h.substring(0, 64), 16).intValueExact() * 2;
    int n = new BigInteger(h.substring(offset, offset + 64), 16).intValueExact();
    double tick = UniswapV3Adapter.tickFor(p.twap() * factor, p.pool());
    long nowSec = 1_000_000_000L;
    StringBuilder out =
        new StringBuilder("0x")
            .append(word(BigInteger.valueOf(64)))
            .append(word(BigInteger.valueOf(64 + 32L * (n + 1))));
    out.append(word(BigInteger.valueOf(n)));
    for (int i = 0; i < n; i++) {
      long ago =
          new BigInteger(h.substring(offset + 64 + 64 * i, offset + 128 + 64 * i), 16)
              .longValueExact();
      out.append(UniswapV3Adapter.word(BigInteger.valueOf(Math.round(tick * (nowSec - ago)))));
    }
    out.append(word(BigInteger.valueOf(n)));
    for (int i = 0; i < n; i++) out.append(word(BigInteger.ZERO));
    return out.toString();
  }

  private static JsonObject result(Object id, Object result) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
  }

  private static String word(BigInteger v) {
    return UniswapV3Adapter.word(v);
  }

  private static JsonObject rpcError(Object id, int code, String message) {
    return new JsonObject()
        .put("jsonrpc", "2.0")
        .put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message));
  }
}
