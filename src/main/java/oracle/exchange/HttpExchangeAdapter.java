package oracle.exchange;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;

/**
 * Shared plumbing of the HTTP adapters: base URL from configuration, a per-request timeout, status
 * checks, and lenient number parsing (exchanges send numbers as strings). Subclasses only build
 * requests and parse payloads; the parsing lives in static methods so tests feed them recorded
 * payloads directly.
 */
public abstract class HttpExchangeAdapter implements ExchangeAdapter {
  protected final WebClient client;
  protected final SourceSettings settings;
  protected final MarketMap markets;
  private final String baseUrl;

  protected HttpExchangeAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    this.client = client;
    this.settings = settings;
    this.markets = settings.marketMap(symbols);
    this.baseUrl =
        settings.url().endsWith("/")
            ? settings.url().substring(0, settings.url().length() - 1)
            : settings.url();
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public boolean lists(String symbol) {
    return markets.lists(symbol);
  }

  /** Most 1-minute klines the exchange returns per request. */
  protected abstract int klinesPerRequest();

  /** One page of klines, {@code fromSec..toSec} inclusive, any order. */
  protected abstract Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec);

  /**
   * Pages through {@code fromSec..toSec} sequentially (one request at a time stays inside rate
   * limits).
   */
  @Override
  public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
    Market market = markets.market(symbol);
    if (market == null || toSec < fromSec) return Future.succeededFuture(List.of());
    return page(symbol, market, floorMinute(fromSec), toSec, new java.util.TreeMap<>());
  }

  private Future<List<Kline>> page(
      String symbol, Market market, long from, long to, java.util.TreeMap<Long, Kline> acc) {
    long end = Math.min(to, from + (klinesPerRequest() - 1L) * 60);
    return fetchKlinePage(symbol, market, from, end)
        .compose(
            page -> {
              for (Kline k : page) {
                // Every kline says its currency (Upbit's KRW
                // markets), so backfill converts instead of mixing.
                if (k.time() >= from && k.time() <= end)
                  acc.put(k.time(), k.withQuoteCurrency(market.quoteCurrency()));
              }
              if (end >= to) return Future.succeededFuture(List.copyOf(acc.values()));
              return page(symbol, market, end + 60, to, acc);
            });
  }

  protected static long floorMinute(long sec) {
    return Math.floorDiv(sec, 60) * 60;
  }

  /** GET {@code path} with query parameters given as name, value pairs; fails on non-2xx. */
  protected Future<Buffer> get(String path, String... params) {
    HttpRequest<Buffer> req = client.getAbs(baseUrl + path).timeout(settings.timeoutMs());
    for (int i = 0; i + 1 < params.length; i += 2) req.addQueryParam(params[i], params[i + 1]);
    return req.send().map(this::body);
  }

  protected Future<Buffer> postJson(io.vertx.core.json.JsonArray body) {
    return client
        .postAbs(baseUrl)
        .timeout(settings.timeoutMs())
        .putHeader("content-type", "application/json")
        .sendBuffer(body.toBuffer())
        .map(this::body);
  }

  private Buffer body(HttpResponse<Buffer> resp) {
    if (resp.statusCode() / 100 != 2) {
      throw new ExchangeHttpException(name(), resp.statusCode(), resp.statusMessage());
    }
    Buffer b = resp.body();
    if (b == null) throw new ExchangeHttpException(name(), resp.statusCode(), "empty body");
    return b;
  }

  /**
   * Payloads above this size are parsed on a worker thread, not the event loop (an all-tickers
   * answer is ~0.5 MB).
   */
  static final int OFF_LOOP_PARSE_BYTES = 64 * 1024;

  /**
   * Parses a body: inline when small, on the worker pool when large, so big all-tickers payloads do
   * not hold the event loop. Parsers are pure functions of the body.
   */
  protected static <T> Future<T> parse(Buffer body, java.util.function.Function<Buffer, T> parser) {
    return oracle.common.OffLoop.compute(
        body.length(), OFF_LOOP_PARSE_BYTES, () -> parser.apply(body));
  }

  /** A number sent as a JSON number or a string; NaN when absent or unparsable. */
  public static double num(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s && !s.isEmpty()) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  public static long longNum(Object v, long def) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s && !s.isEmpty()) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return def;
      }
    }
    return def;
  }

  /** Product of two possibly-NaN numbers, NaN when either is missing. */
  protected static double times(double a, double b) {
    return Double.isFinite(a) && Double.isFinite(b) ? a * b : Double.NaN;
  }

  /**
   * This exchange's distinct market ids of the given canonical symbols (those it lists), in order.
   */
  protected List<String> marketIds(List<String> symbols) {
    if (symbols == idsOf) return ids; // the poller asks for the same list every tick
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String s : symbols) {
      Market m = markets.market(s);
      if (m != null) out.add(m.id());
    }
    ids = List.copyOf(out);
    idsOf = symbols;
    return ids;
  }

  /**
   * The symbols as a set, for the parsers' lookups; kept while the poller asks for the same list.
   */
  protected java.util.Set<String> wanted(List<String> symbols) {
    if (symbols != wantedOf) {
      wanted = java.util.Set.copyOf(symbols);
      wantedOf = symbols;
    }
    return wanted;
  }

  // Per-tick work of a 10,000-symbol batch, kept for the next tick (event-loop only: fetchQuotes).
  private List<String> idsOf;
  private List<String> ids;
  private List<String> wantedOf;
  private java.util.Set<String> wanted;
}
