package oracle.http.market;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Locale;
import oracle.http.common.ApiError;
import oracle.http.common.ApiMetrics;
import oracle.storage.Resolution;

/**
 * TradingView's UDF protocol under {@code /api/v1/udf}: {@code /config}, {@code /symbols}, {@code
 * /search}, {@code /time} and {@code /history}, over the same candles as the market API.
 */
public final class UdfApi {
  public static final String MOUNT = "/api/v1/udf";

  private final Vertx vertx;
  private final MarketApi market;
  private final Buffer configBody;

  public UdfApi(Vertx vertx, MarketApi market) {
    this.vertx = vertx;
    this.market = market;
    JsonArray resolutions =
        new JsonArray(Arrays.stream(Resolution.values()).map(Resolution::udf).toList());
    this.configBody =
        market.marked(
            new JsonObject()
                .put("supported_resolutions", resolutions)
                .put("supports_group_request", false)
                .put("supports_marks", false)
                .put("supports_search", true)
                .put("supports_timescale_marks", false)
                .put("supports_time", true)
                .put(
                    "exchanges",
                    new JsonArray()
                        .add(new JsonObject().put("value", "").put("name", "All").put("desc", "")))
                .put(
                    "symbols_types",
                    new JsonArray()
                        .add(new JsonObject().put("name", "crypto").put("value", "crypto")))
                .toBuffer());
  }

  public Router router(ApiMetrics metrics) {
    Router router = Router.router(vertx);
    for (String route : new String[] {"/config", "/symbols", "/search", "/time", "/history"})
      metrics.template(MOUNT + route);
    router.get("/config").handler(ctx -> MarketApi.json(ctx, configBody));
    router.get("/symbols").handler(this::symbols);
    router.get("/search").handler(this::search);
    router
        .get("/time")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain")
                    .end(Long.toString(market.nowMillis() / 1000)));
    router.get("/history").handler(this::history);
    return router;
  }

  /** Symbol info, its {@code pricescale} from the symbol's latest price ({@link PriceScale}). */
  private void symbols(RoutingContext ctx) {
    String symbol = new Params(ctx, market.names()).symbol();
    market
        .lastPrice(symbol)
        .onComplete(
            ar -> {
              JsonObject info = symbolInfo(symbol, PriceScale.of(ar.result()));
              if (market.simulated()) info.put("simulated", true);
              MarketApi.json(ctx, info.toBuffer());
            });
  }

  private static JsonObject symbolInfo(String symbol, long pricescale) {
    return new JsonObject()
        .put("name", symbol)
        .put("ticker", symbol)
        .put("description", symbol)
        .put("type", "crypto")
        .put("session", "24x7")
        .put("exchange", "ORACLE")
        .put("listed_exchange", "ORACLE")
        .put("timezone", "Etc/UTC")
        .put("format", "price")
        .put("minmov", 1)
        .put("pricescale", pricescale)
        .put("has_intraday", true)
        .put("has_daily", true)
        .put("has_weekly_and_monthly", false)
        .put(
            "intraday_multipliers",
            new JsonArray().add("1").add("5").add("15").add("60").add("240"))
        .put(
            "supported_resolutions",
            new JsonArray(Arrays.stream(Resolution.values()).map(Resolution::udf).toList()))
        .put("volume_precision", 8)
        .put("data_status", "streaming");
  }

  private void search(RoutingContext ctx) {
    Params p = new Params(ctx, market.names());
    String query = p.optional("query");
    String needle = query == null ? "" : query.toUpperCase(Locale.ROOT);
    // The spellings the symbol parameters take (btc-usdt, BTCUSDT) find the symbol too.
    String joined = needle.replaceAll("[/_:\\-]", "");
    Long given = p.integer("limit", 1, 1000, "must be an integer between 1 and 1000");
    long limit = given == null ? 30 : given;
    JsonArray out = new JsonArray();
    market.symbols().stream()
        .filter(s -> s.contains(needle) || s.replace("/", "").contains(joined))
        .limit(limit)
        .forEach(
            s ->
                out.add(
                    new JsonObject()
                        .put("symbol", s)
                        .put("full_name", s)
                        .put("description", s)
                        .put("exchange", "ORACLE")
                        .put("ticker", s)
                        .put("type", "crypto")));
    MarketApi.json(ctx, out.toBuffer());
  }

  /**
   * Bars with {@code from <= time < to} (UDF's {@code to} is exclusive). With {@code countback} the
   * last that many bars before {@code to}, ignoring {@code from}, as UDF specifies. Larger ranges
   * return their last 5,000 bars: the chart asks for earlier ones as it scrolls.
   */
  private void history(RoutingContext ctx) {
    Params p = new Params(ctx, market.names());
    String symbol = p.symbol();
    Resolution r = p.udfResolution();
    long from = p.requiredUnixSeconds("from");
    long to = p.requiredUnixSeconds("to");
    Long countback =
        p.integer(
            "countback",
            1,
            MarketApi.MAX_LIMIT,
            "must be an integer between 1 and " + MarketApi.MAX_LIMIT);
    if (from > to) throw ApiError.badRequest("from", "must not be after to");
    long start = countback != null ? 0 : from;
    int limit = countback != null ? countback.intValue() : MarketApi.MAX_LIMIT;
    if (to == start) {
      noData(ctx, r, symbol, start, null);
      return;
    }
    market
        .candles()
        .read(symbol, r, start, to - 1, limit, true)
        .onSuccess(
            page -> {
              if (page.bars().isEmpty())
                noData(ctx, r, symbol, r.bucketStart(start), page.partialReason());
              else
                MarketApi.json(
                    ctx, market.marked(CandleJson.udfHistory(page.bars(), page.partialReason())));
            })
        .onFailure(err -> MarketApi.fail(ctx, err));
  }

  /**
   * {@code no_data}, with {@code nextTime} = the newest bar before the range, so the chart can jump
   * to it.
   */
  private void noData(
      RoutingContext ctx, Resolution r, String symbol, long before, String partialReason) {
    market
        .candles()
        .repository()
        .latestBefore(r, symbol, before)
        .onSuccess(
            next -> {
              JsonObject body = new JsonObject().put("s", "no_data");
              if (next != null) body.put("nextTime", next);
              if (partialReason != null)
                body.put("partial", true).put("partialReason", partialReason);
              if (market.simulated()) body.put("simulated", true);
              MarketApi.json(ctx, body.toBuffer());
            })
        .onFailure(err -> MarketApi.fail(ctx, err));
  }
}
