package oracle.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeMarkets.Listing;
import oracle.exchange.FakeStream;
import oracle.exchange.Kline;
import oracle.exchange.MarketIds;
import oracle.exchange.UniswapPool;
import oracle.exchange.registry.Exchanges;

/**
 * A test double of every price source, speaking each one's real wire format: one port per {@link
 * Exchanges#ALL} entry (the real ones are separate hosts, so a slow exchange does not share a
 * connection pool with the rest). This server holds what all exchanges share: the scripted markets,
 * pools and listings, the faults, request counting and the response cache; each venue's routes and
 * formats are its {@link oracle.exchange.VenueFake} ({@code oracle.exchange.<venue>.<Name>Fake},
 * named in its spec), reading this state through {@link FakeMarkets}. A Uniswap pool's spot ({@code
 * slot0}) and its observation history ({@code observe}) are scripted apart, so a test can move one
 * without the other.
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
 * Canonical-symbol methods use each exchange's conventional market id ({@link Exchanges#derive});
 * the {@code market(...)} methods take the exchange's own id. All state is thread-safe so tests can
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
  private static final class MarketState implements FakeMarkets.Scripted {
    volatile double price;
    volatile double liquidity = 1_000_000; // 24 h quote volume
    volatile double minuteVolume = Double.NaN;
    final Map<Long, Kline> klines = new ConcurrentHashMap<>();

    /** The market's trades, while {@link #trading} is on. */
    volatile TradeTape tape;

    /** The last trade's price while trading, else the scripted price. */
    @Override
    public double price() {
      TradeTape t = tape;
      FakeMarkets.Trade last = t == null ? null : t.last();
      return last == null ? price : last.price();
    }

    @Override
    public double liquidity() {
      return liquidity;
    }

    @Override
    public double minuteVolume() {
      return minuteVolume;
    }
  }

  /** A pool: spot (slot0), TWAP (observe), balances in whole base and quote tokens. */
  private record PoolState(
      UniswapPool pool, double spot, double twap, double baseTokens, double quoteTokens)
      implements FakeMarkets.Pool {
    @Override
    public String token(int i) {
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
  private final Map<String, StreamHub> hubs = new ConcurrentHashMap<>();
  private final Map<String, RateLimit> rateLimits = new ConcurrentHashMap<>();
  private volatile Trading trading;
  private volatile long tradingTimer = -1;

  /** Assets whose simulated history does not walk (Upbit's USDT/KRW rate stays put). */
  private static final java.util.Set<String> STABLE =
      java.util.Set.of("USDT", "USDC", "USD", "DAI", "FDUSD", "TUSD");

  /** How often the tapes print their due trades and push them to the streams. */
  static final long TRADE_TICK_MS = 20;

  private record CachedBody(long version, long madeAt, String text) {}

  /** What each venue's fake reads: this server's state for that venue. */
  private final class View implements FakeMarkets {
    private final String exchange;

    View(String exchange) {
      this.exchange = exchange;
    }

    @Override
    public Map<String, Scripted> markets() {
      return java.util.Collections.unmodifiableMap(markets.get(exchange));
    }

    @Override
    public Collection<? extends Pool> pools() {
      return pools.values();
    }

    @Override
    public double priceFactor() {
      return factor(exchange);
    }

    @Override
    public long nowMs() {
      return now(exchange);
    }

    @Override
    public List<Kline> klines(String id, long fromSec, long toSec) {
      MarketState m = markets.get(exchange).get(id);
      return m == null ? List.of() : klinesOf(exchange, id, m, fromSec, toSec);
    }

    @Override
    public void serveStream(FakeStream stream) {
      hubs.put(
          exchange,
          new StreamHub(
              vertx,
              stream,
              () -> faults.get(exchange),
              id -> markets.get(exchange).containsKey(id),
              (id, now) -> lastPublishedOf(exchange, id),
              (id, n) -> recentTradesOf(exchange, id, n)));
    }

    @Override
    public Map<String, Listing> instruments() {
      return FakeExchangeServer.this.instruments(exchange);
    }

    @Override
    public JsonArray instrumentRows(BiFunction<String, Listing, JsonObject> row) {
      JsonArray out = new JsonArray();
      instruments()
          .forEach(
              (id, l) -> {
                JsonObject r = row.apply(id, l);
                if (r != null) out.add(r);
              });
      return out;
    }

    @Override
    public void json(RoutingContext ctx, Object body) {
      FakeExchangeServer.this.json(ctx, body);
    }

    @Override
    public void cached(RoutingContext ctx, Supplier<Object> body) {
      FakeExchangeServer.this.cached(ctx, body);
    }
  }

  private FakeExchangeServer(Vertx vertx) {
    this.vertx = vertx;
    for (String e : EXCHANGES) {
      markets.put(e, new ConcurrentHashMap<>());
      faults.put(e, new CopyOnWriteArrayList<>());
      requests.put(e, new AtomicLong());
    }
    // Coinbase Exchange: "10 requests per second per IP, up to 15 in bursts" (public endpoints).
    rateLimits.put("coinbase", new RateLimit(10, 15));
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
              .webSocketHandler(ws -> fake.acceptStream(exchange, ws))
              .listen(firstPort == 0 ? 0 : firstPort + i, "127.0.0.1"));
    }
    return Future.all(listening).map(fake);
  }

  public Future<Void> close() {
    if (tradingTimer >= 0) vertx.cancelTimer(tradingTimer);
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
   * The venue's trade stream on this fake ({@code ws://127.0.0.1:PORT/stream} for Binance, {@code
   * /} Coinbase, {@code /v2} Kraken, {@code /ws/v5/public} OKX, {@code /v5/public/spot} Bybit,
   * {@code /websocket/v1} Upbit).
   */
  public String wsUrl(String exchange) {
    HttpServer s = servers.get(exchange);
    StreamHub hub = hubs.get(exchange);
    if (s == null || hub == null)
      throw new IllegalArgumentException("no trade stream on " + exchange);
    return "ws://127.0.0.1:" + s.actualPort() + hub.path();
  }

  /** The exchanges whose fake serves a trade stream. */
  public List<String> streamExchanges() {
    return EXCHANGES.stream().filter(hubs::containsKey).toList();
  }

  /**
   * {@link #sourcesConfig()} with every venue's trade stream on and pointed at this fake ({@code
   * "stream": true, "wsUrl": ...}).
   */
  public JsonObject streamingSourcesConfig() {
    JsonObject out = sourcesConfig();
    for (String e : streamExchanges())
      out.getJsonObject(e).put("stream", true).put("wsUrl", wsUrl(e));
    return out;
  }

  /**
   * {@code sources} configuration pointing every source (and the scripted Uniswap pools) at this
   * fake, polling its REST API ({@code "stream": false} for the venues that have a stream; see
   * {@link #streamingSourcesConfig()}).
   */
  public JsonObject sourcesConfig() {
    JsonObject out = new JsonObject();
    for (String e : EXCHANGES) out.put(e, new JsonObject().put("url", url(e)));
    for (String e : streamExchanges()) out.getJsonObject(e).put("stream", false);
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

  // ---- trading: one trade-level truth for tickers, klines and streams ----

  /**
   * Turns trading on (off by default, so scripted prices and klines are served exactly as
   * scripted): every market with a price prints trades at random instants around it ({@link
   * TradeTape}); tickers report the last trade, klines are the per-minute OHLCV of the trades (with
   * {@link TradeTape#HISTORY_MINUTES} of history), and each venue's stream pushes them. Scripted
   * {@link #klines} and {@link #minuteVolume} still win for the minutes they set.
   */
  public synchronized FakeExchangeServer trading(Trading settings) {
    version.incrementAndGet();
    trading = settings;
    markets.values().forEach(m -> m.values().forEach(s -> s.tape = null));
    if (tradingTimer < 0) tradingTimer = vertx.setPeriodic(TRADE_TICK_MS, id -> printTrades());
    return this;
  }

  /** The REST rate limit of {@code exchange} ({@code perSecond} 0 = none; Coinbase: 10, 15). */
  public FakeExchangeServer rateLimit(String exchange, double perSecond, int burst) {
    if (perSecond <= 0) rateLimits.remove(exchange);
    else rateLimits.put(exchange, new RateLimit(perSecond, burst));
    return this;
  }

  /** Requests {@code exchange} refused with its rate-limit answer. */
  public long rateLimited(String exchange) {
    RateLimit r = rateLimits.get(exchange);
    return r == null ? 0 : r.refused();
  }

  /** Closes every open stream connection of {@code exchange} (clients may reconnect). */
  public FakeExchangeServer dropStreams(String exchange) {
    StreamHub hub = hubs.get(exchange);
    if (hub != null) hub.dropAll();
    return this;
  }

  /** Open stream connections of {@code exchange}. */
  public int streamConnections(String exchange) {
    StreamHub hub = hubs.get(exchange);
    return hub == null ? 0 : hub.connections();
  }

  /** The latest trade of a market (by canonical symbol), or null: none yet or trading off. */
  public FakeMarkets.Trade lastTrade(String exchange, String symbol) {
    return lastTradeOf(exchange, Exchanges.derive(exchange, symbol).id());
  }

  /** The trades of a market (by canonical symbol) kept for streaming, from {@code fromMs} on. */
  public List<FakeMarkets.Trade> recentTrades(String exchange, String symbol, long fromMs) {
    MarketState m = markets.get(exchange).get(Exchanges.derive(exchange, symbol).id());
    TradeTape t = m == null ? null : tapeOf(exchange, Exchanges.derive(exchange, symbol).id(), m);
    if (t == null) return List.of();
    t.advance(System.currentTimeMillis(), m.price);
    return t.recent(fromMs);
  }

  private List<FakeMarkets.Trade> recentTradesOf(String exchange, String marketId, int n) {
    MarketState m = markets.get(exchange).get(marketId);
    TradeTape t = m == null ? null : m.tape;
    return t == null ? List.of() : t.recentPublished(n);
  }

  private FakeMarkets.Trade lastPublishedOf(String exchange, String marketId) {
    MarketState m = markets.get(exchange).get(marketId);
    TradeTape t = m == null ? null : m.tape;
    return t == null ? null : t.lastPublished();
  }

  private FakeMarkets.Trade lastTradeOf(String exchange, String marketId) {
    MarketState m = markets.get(exchange).get(marketId);
    TradeTape t = m == null ? null : m.tape;
    return t == null ? null : t.last();
  }

  /** The market's tape, made on first use while trading is on; null when off or unpriced. */
  private TradeTape tapeOf(String exchange, String id, MarketState m) {
    Trading t = trading;
    if (t == null || !(m.price > 0)) return null;
    TradeTape tape = m.tape;
    if (tape == null) {
      synchronized (m) {
        tape = m.tape;
        if (tape == null) {
          Listing listed = instruments(exchange).get(id);
          String asset = listed == null ? null : listed.base();
          tape =
              new TradeTape(
                  exchange,
                  id,
                  asset,
                  asset != null && STABLE.contains(asset),
                  t,
                  m.price,
                  m.liquidity,
                  System.currentTimeMillis());
          m.tape = tape;
        }
      }
    }
    return tape;
  }

  /** Every tape prints its due trades; the streams push them, in order (one timer does it). */
  private void printTrades() {
    long now = System.currentTimeMillis();
    for (String e : EXCHANGES) {
      StreamHub hub = hubs.get(e);
      markets
          .get(e)
          .forEach(
              (id, m) -> {
                TradeTape tape = tapeOf(e, id, m);
                if (tape == null) return;
                tape.advance(now, m.price);
                List<FakeMarkets.Trade> fresh = tape.drain();
                if (hub != null) hub.publish(fresh);
              });
    }
  }

  private void acceptStream(String exchange, io.vertx.core.http.ServerWebSocket ws) {
    StreamHub hub = hubs.get(exchange);
    if (hub == null || !hub.serves(ws.path())) {
      ws.close((short) 1008, "no stream at " + ws.path());
      return;
    }
    hub.accept(ws);
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
              RateLimit limit = rateLimits.get(exchange);
              if (limit != null && !limit.tryTake()) {
                RateLimit.refuse(exchange, ctx);
                return;
              }
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
    Exchanges.spec(exchange).fake().routes(r, new View(exchange));
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

  /**
   * Klines of a market in [from, to] (seconds), ascending: scripted history plus the current
   * minute's kline.
   */
  private List<Kline> klinesOf(String exchange, String id, MarketState m, long from, long to) {
    TreeMap<Long, Kline> out = new TreeMap<>();
    TradeTape tape = tapeOf(exchange, id, m);
    if (tape != null) {
      long now = System.currentTimeMillis();
      tape.advance(now, m.price);
      tape.klines(from, to, now).forEach(k -> out.put(k.time(), k));
      long minute = FakeMarkets.minuteNow();
      Kline current = out.get(minute);
      if (current != null && Double.isFinite(m.minuteVolume))
        out.put(
            minute,
            new Kline(
                exchange,
                id,
                minute,
                current.open(),
                current.high(),
                current.low(),
                current.close(),
                m.minuteVolume,
                current.quoteCurrency(),
                current.trades()));
      m.klines.forEach(
          (t, k) -> {
            if (t >= from && t <= to) out.put(t, k);
          });
      return new ArrayList<>(out.values());
    }
    m.klines.forEach(
        (t, k) -> {
          if (t >= from && t <= to) out.put(t, k);
        });
    long minute = FakeMarkets.minuteNow();
    if (Double.isFinite(m.minuteVolume) && minute >= from && minute <= to) {
      double p = m.price * factor(exchange);
      out.put(minute, new Kline(exchange, id, minute, p, p, p, p, m.minuteVolume));
    }
    return new ArrayList<>(out.values());
  }

  // ---- instrument endpoints (whole-market discovery) ----

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
}
