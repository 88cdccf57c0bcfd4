package oracle.http.market;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import oracle.http.common.ApiError;
import oracle.http.common.SymbolNames;
import oracle.http.common.TimeParam;
import oracle.storage.Resolution;

/**
 * Validated access to a request's query parameters. Every problem is an {@link ApiError} naming the
 * parameter and the rule, so a client never sees a 500 for its own input.
 */
public final class Params {
  /** 9999-12-31T23:59:59Z: larger values are typos (milliseconds for seconds), not dates. */
  public static final long MAX_UNIX_SECONDS = TimeParam.MAX_UNIX_SECONDS;

  private final MultiMap query;
  private final SymbolNames symbols;

  public Params(RoutingContext ctx, SymbolNames symbols) {
    try {
      this.query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("query", "malformed query string");
    }
    this.symbols = symbols;
  }

  /**
   * A configured symbol, canonical whatever the spelling given ({@link SymbolNames}): 400 when
   * missing, malformed or ambiguous, 404 when not configured.
   */
  public String symbol() {
    return symbols.resolve("symbol", required("symbol", "is required, e.g. BTC/USDT"));
  }

  /**
   * A comma-separated list of configured symbols, each once, in the order given; all configured
   * symbols when the parameter is absent. 400 naming the first malformed entry, 404 for an unknown
   * one.
   */
  public List<String> symbolList(String name) {
    String s = optional(name);
    if (s == null) return List.copyOf(symbols.all());
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String part : s.split(",")) {
      String symbol = part.trim();
      if (symbol.isEmpty()) continue;
      out.add(symbols.resolve(name, symbol));
    }
    if (out.isEmpty())
      throw ApiError.badRequest(name, "must name at least one symbol, e.g. BTC/USDT,ETH/USDT");
    return List.copyOf(out);
  }

  public Resolution resolution() {
    String rule = "must be one of " + Resolution.API_NAMES;
    Resolution r = Resolution.fromApi(required("resolution", rule));
    if (r == null) throw ApiError.badRequest("resolution", rule);
    return r;
  }

  public Resolution udfResolution() {
    String rule = "must be one of " + Resolution.UDF_NAMES;
    Resolution r = Resolution.fromUdf(required("resolution", rule));
    if (r == null) throw ApiError.badRequest("resolution", rule);
    return r;
  }

  /**
   * Unix seconds in [0, 9999-12-31], given as seconds or as an ISO-8601 instant ({@link
   * TimeParam}), or {@code null} when absent.
   */
  public Long unixSeconds(String name) {
    String s = optional(name);
    return s == null ? null : TimeParam.parse(name, s);
  }

  public long requiredUnixSeconds(String name) {
    required(name, "is required (Unix seconds or an ISO-8601 instant)");
    return unixSeconds(name);
  }

  public Long integer(String name, long min, long max, String rule) {
    String s = optional(name);
    if (s == null) return null;
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name, rule);
    }
    if (v < min || v > max) throw ApiError.badRequest(name, rule);
    return v;
  }

  public String required(String name, String rule) {
    String s = optional(name);
    if (s == null || s.isEmpty()) throw ApiError.badRequest(name, rule);
    return s;
  }

  public String optional(String name) {
    List<String> all = query.getAll(name);
    if (all.isEmpty()) return null;
    if (all.size() > 1) throw ApiError.badRequest(name, "must be given once");
    String s = all.get(0).trim();
    return s.isEmpty() ? null : s;
  }
}
