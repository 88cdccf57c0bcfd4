package oracle.http.market;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import oracle.common.OracleMetrics;
import oracle.common.RedisKeys;
import oracle.http.common.ApiError;
import oracle.http.common.ApiMetrics;
import oracle.http.common.SymbolNames;
import oracle.http.stream.CandleStreamHandler;
import oracle.storage.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market routes under {@code /api/v1/market}: OHLCV history merged with live candles, the
 * latest aggregated price, the configured symbols, and the live candle stream (SSE).
 */
public final class MarketApi {
  public static final String MOUNT = "/api/v1/market";
  public static final int DEFAULT_LIMIT = 1000;
  public static final int MAX_LIMIT = 5000;
  static final String LIMIT_RULE = "must be an integer between 1 and " + MAX_LIMIT;

  private static final Logger log = LoggerFactory.getLogger(MarketApi.class);

  private final Vertx vertx;

  /** {@code ingestion.stalenessMs}: a price older than this is flagged {@code stale}. */
  private final long stalenessMs;

  private final Redis redis;
  private final Set<String> symbols;

  /** The spellings users type mapped to {@link #symbols} (btc/usdt, BTC-USDT, BTCUSDT). */
  private final SymbolNames names;

  private final CandleService candles;
  private final CachedCandleStore store;
  private final LongSupplier clockMillis = System::currentTimeMillis;
  private final Buffer symbolsBody;
  private final CandleStreamHandler stream;

  /**
   * Dev mode's market simulator feeds the prices (config key {@code simulated}): every price says
   * so.
   */
  private final boolean simulated;

  public MarketApi(
      Vertx vertx, MarketApiSettings config, Redis redis, Pool pg, OracleMetrics metrics) {
    this.vertx = vertx;
    this.redis = redis;
    // Whole-market mode: delisted symbols stay readable (their history is kept).
    this.symbols = new LinkedHashSet<>(config.servedSymbols());
    this.names = new SymbolNames(symbols);
    MarketSettings settings = config.market();
    this.stalenessMs = config.stalenessMs();
    this.store =
        new CachedCandleStore(
            vertx,
            new StoredCandleReader(pg),
            settings.cacheBytes(),
            settings.cacheTtl(),
            settings.hotMinutes(),
            clockMillis);
    this.candles =
        new CandleService(
            store,
            new HotCandles(redis, CandleService.HOT_TIMEOUT_MS),
            settings.hotMinutes(),
            clockMillis);
    JsonArray list = new JsonArray();
    for (String s : config.symbols())
      list.add(new JsonObject().put("symbol", s).put("sources", new JsonArray(config.exchanges())));
    this.symbolsBody = new JsonObject().put("symbols", list).toBuffer();
    this.simulated = config.simulated();
    this.stream =
        new CandleStreamHandler(
            vertx, config.stream(), config.trustedProxies(), metrics, simulated);
  }

  public Set<String> symbols() {
    return symbols;
  }

  public SymbolNames names() {
    return names;
  }

  /** Whether dev mode's market simulator feeds the data: every answer then says so. */
  public boolean simulated() {
    return simulated;
  }

  public CandleService candles() {
    return candles;
  }

  public long nowMillis() {
    return clockMillis.getAsLong();
  }

  /** The sub-router to mount at {@link #MOUNT}. */
  public Router router(ApiMetrics metrics) {
    Router router = Router.router(vertx);
    metrics.template(MOUNT + "/ohlcv");
    metrics.template(MOUNT + "/price");
    metrics.template(MOUNT + "/prices");
    metrics.template(MOUNT + "/symbols");
    metrics.template(MOUNT + "/stream");
    router.get("/ohlcv").handler(this::ohlcv);
    router.get("/price").handler(this::price);
    router.get("/prices").handler(this::prices);
    router.get("/symbols").handler(ctx -> json(ctx, symbolsBody));
    router.get("/stream").handler(ctx -> stream.handle(ctx, new Params(ctx, names).symbol()));
    return router;
  }

  private void ohlcv(RoutingContext ctx) {
    Params p = new Params(ctx, names);
    String symbol = p.symbol();
    Resolution r = p.resolution();
    int limit = limit(p.integer("limit", 1, MAX_LIMIT, LIMIT_RULE));
    Long from = p.unixSeconds("from");
    Long to = p.unixSeconds("to");
    long end = to != null ? to : nowMillis() / 1000;
    long start = from != null ? from : Math.max(0, r.bucketStart(end) - (limit - 1L) * r.seconds());
    if (start > end) throw ApiError.badRequest("from", "must not be after to");
    long now = nowMillis() / 1000;
    candles
        .read(symbol, r, start, end, limit, false)
        .onSuccess(
            page -> {
              // Gaps are judged over the answered part of the window, up to the last closed bucket.
              long gapTo =
                  Math.min(
                      page.nextFrom() != null ? page.nextFrom() - r.seconds() : r.bucketStart(end),
                      r.bucketStart(now) - r.seconds());
              ohlcvBody(ctx, symbol, r, page, r.bucketStart(start), gapTo, now, simulated);
            })
        .onFailure(err -> fail(ctx, err));
  }

  /**
   * The candles written into a pooled direct buffer the socket takes as is (a heap body would be
   * zeroed on allocation, then copied into a direct buffer by Netty). Vert.x wraps a body that is
   * not its own heap buffer so that only its owner frees it: released here once written or failed
   * (a closed connection fails the write).
   */
  private static void ohlcvBody(
      RoutingContext ctx,
      String symbol,
      Resolution r,
      CandlePage page,
      long gapFrom,
      long gapTo,
      long now,
      boolean simulated) {
    ByteBuf body = ByteBufAllocator.DEFAULT.directBuffer(CandleJson.sizeHint(page.bars()));
    BODIES_IN_FLIGHT.incrementAndGet();
    Future<Void> written;
    try {
      CandleJson.ohlcv(symbol, r, page, gapFrom, gapTo, now, body);
      if (simulated) markSimulated(body);
      written =
          ctx.response().putHeader(CONTENT_TYPE, APPLICATION_JSON).end(BufferInternal.buffer(body));
    } catch (RuntimeException e) {
      release(body);
      throw e;
    }
    written.onComplete(ar -> release(body));
  }

  /** Pooled candle bodies not released yet (each one is, once written or failed): for tests. */
  static final java.util.concurrent.atomic.AtomicInteger BODIES_IN_FLIGHT =
      new java.util.concurrent.atomic.AtomicInteger();

  private static void release(ByteBuf body) {
    body.release();
    BODIES_IN_FLIGHT.decrementAndGet();
  }

  private static int limit(Long given) {
    return given == null ? DEFAULT_LIMIT : given.intValue();
  }

  /** The aggregation's latest price JSON as stored, plus the symbol and its age. */
  private void price(RoutingContext ctx) {
    String symbol = new Params(ctx, names).symbol();
    redis
        .send(Request.cmd(Command.GET).arg(RedisKeys.price(symbol)))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
              }
              if (ar.result() == null) {
                reject(ctx, ApiError.notFound("symbol", "no price yet for " + symbol));
                return;
              }
              JsonObject body = priceJson(symbol, ar.result());
              if (body == null) reject(ctx, ApiError.unavailable("stored price is unreadable"));
              else json(ctx, body.toBuffer());
            });
  }

  /**
   * The symbol's latest stored price (agreed, possibly withheld since), or NaN when there is none
   * or Redis does not answer within a second: for what needs a price's magnitude only (UDF {@code
   * pricescale}), never failing the request.
   */
  Future<Double> lastPrice(String symbol) {
    return redis
        .send(Request.cmd(Command.GET).arg(RedisKeys.price(symbol)))
        .timeout(1_000, java.util.concurrent.TimeUnit.MILLISECONDS)
        .map(
            stored -> {
              if (stored == null) return Double.NaN;
              Object price = new JsonObject(stored.toString()).getValue("price");
              return price instanceof Number n ? n.doubleValue() : Double.NaN;
            })
        .otherwise(Double.NaN);
  }

  /**
   * Several latest prices in one answer (one {@code MGET}): {@code symbols} comma-separated, all
   * configured symbols when absent. {@code {"prices":[...as /price...],"missing":[symbols with no
   * usable price yet]}}.
   */
  private void prices(RoutingContext ctx) {
    List<String> wanted = new Params(ctx, names).symbolList("symbols");
    Request mget = Request.cmd(Command.MGET);
    wanted.forEach(s -> mget.arg(RedisKeys.price(s)));
    redis
        .send(mget)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
              }
              JsonArray prices = new JsonArray();
              JsonArray missing = new JsonArray();
              for (int i = 0; i < wanted.size(); i++) {
                JsonObject price = priceJson(wanted.get(i), ar.result().get(i));
                if (price == null) missing.add(wanted.get(i));
                else prices.add(price);
              }
              json(ctx, new JsonObject().put("prices", prices).put("missing", missing).toBuffer());
            });
  }

  /**
   * The aggregation's stored price JSON with the symbol and its age; null when absent or
   * unreadable.
   */
  private JsonObject priceJson(String symbol, Response stored) {
    if (stored == null) return null;
    JsonObject body;
    try {
      body = new JsonObject(stored.toString());
    } catch (DecodeException | ClassCastException e) {
      log.warn("unreadable price JSON at {}", RedisKeys.price(symbol));
      return null;
    }
    body.put("symbol", symbol);
    msAliases(body);
    Object ts = body.getValue("timestamp");
    if (ts instanceof Number n) {
      long age = Math.max(0, nowMillis() - n.longValue());
      // Older than the staleness limit the aggregation itself applies to quotes: no source updated
      // it. A price withheld for want of quorum is stored stale already (status says why).
      body.put("ageMs", age)
          .put("stale", Boolean.TRUE.equals(body.getValue("stale")) || age > stalenessMs);
    } else {
      body.putNull("ageMs").put("stale", true);
    }
    if (simulated) body.put("simulated", true);
    return body;
  }

  /**
   * The API names milliseconds {@code *Ms}: the stored price's {@code timestamp} and {@code
   * statusAt} (milliseconds) are answered as {@code timestampMs} and {@code statusAtMs} too; the
   * old names stay, deprecated, because the chart page and existing clients read them.
   */
  private static void msAliases(JsonObject price) {
    if (price.getValue("timestamp") instanceof Number n) price.put("timestampMs", n.longValue());
    if (price.getValue("statusAt") instanceof Number n) price.put("statusAtMs", n.longValue());
  }

  /**
   * {@code body} (a JSON object) with {@code "simulated":true} as its last member when dev mode's
   * simulator feeds the data, else {@code body} itself: a copy, but only in dev mode.
   */
  Buffer marked(Buffer body) {
    if (!simulated || body.length() == 0 || body.getByte(body.length() - 1) != '}') return body;
    return Buffer.buffer(body.length() + SIMULATED_TAIL.length())
        .appendBuffer(body, 0, body.length() - 1)
        .appendString(SIMULATED_TAIL);
  }

  /** The same for a body being written into a pooled buffer (the candles of {@code /ohlcv}). */
  static void markSimulated(ByteBuf body) {
    int end = body.writerIndex() - 1;
    if (end < 0 || body.getByte(end) != '}') return;
    body.writerIndex(end);
    body.writeCharSequence(SIMULATED_TAIL, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static final String SIMULATED_TAIL = ",\"simulated\":true}";

  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence APPLICATION_JSON =
      HttpHeaders.createOptimized("application/json");

  static void json(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader(CONTENT_TYPE, APPLICATION_JSON).end(body);
  }

  /** A dependency failed (not the client): 503, logged; an {@link ApiError} passes through. */
  static void fail(RoutingContext ctx, Throwable err) {
    if (!(err instanceof ApiError)) {
      log.warn("{} failed: {}", ctx.request().path(), err.toString());
      err = ApiError.unavailable("storage unavailable, retry later");
    }
    reject(ctx, err);
  }

  /** Routes a failure to the router's failure handler (once). */
  static void reject(RoutingContext ctx, Throwable err) {
    if (!ctx.response().ended() && !ctx.failed()) ctx.fail(err);
  }
}
