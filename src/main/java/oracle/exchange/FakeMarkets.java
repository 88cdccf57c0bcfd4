package oracle.exchange;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What the fake exchange server ({@code oracle.simulator}) offers one venue's fake ({@link
 * VenueFake}): that venue's scripted markets, pools and listings, with the faults that bend prices
 * and clocks already applied where noted, and the server's response helpers. The simulator owns the
 * state; the venue only formats it.
 */
public interface FakeMarkets {
  /** One scripted market, read live. */
  interface Scripted {
    double price();

    /** 24 h quote volume. */
    double liquidity();

    /** The current minute's volume; NaN when not scripted. */
    double minuteVolume();
  }

  /** How the venue lists one market: canonical assets and whether it trades. */
  record Listing(String base, String quote, boolean trading) {}

  /** A scripted pool: spot (slot0), TWAP (observe), balances in whole base and quote tokens. */
  interface Pool {
    UniswapPool pool();

    double spot();

    double twap();

    double baseTokens();

    double quoteTokens();

    /** Token {@code i}'s address (0 or 1), derived from the pool's. */
    String token(int i);
  }

  /** Market id → scripted market, live. */
  Map<String, Scripted> markets();

  /** The scripted pools. */
  Collection<? extends Pool> pools();

  /** The product of the venue's price-factor faults (1 without). */
  double priceFactor();

  /** The venue's clock in ms, set back by its staleness faults. */
  long nowMs();

  /**
   * Klines of market {@code id} in [fromSec, toSec], ascending: scripted history plus the current
   * minute's kline; while the server trades, the per-minute OHLCV of the market's trades (a day of
   * history included), scripted klines and minute volume winning where set.
   */
  List<Kline> klines(String id, long fromSec, long toSec);

  /** Every market the venue lists now, by id in id order. */
  Map<String, Listing> instruments();

  /**
   * One row per market the venue lists now, in id order; {@code row} gives null to leave a market
   * out.
   */
  io.vertx.core.json.JsonArray instrumentRows(
      BiFunction<String, Listing, io.vertx.core.json.JsonObject> row);

  /** Answers {@code body} (a JsonObject or JsonArray) as JSON. */
  void json(RoutingContext ctx, Object body);

  /** {@link #json} through the server's response cache (when on): the body is built on a miss. */
  void cached(RoutingContext ctx, Supplier<Object> body);

  /**
   * One trade of the simulated market, as every venue's stream and REST answers derive it.
   *
   * @param market the venue's REST market id
   * @param seq the market's contiguous trade number (venues with contiguous ids send it as theirs)
   * @param takerBuy whether the taker bought
   */
  record Trade(String market, long seq, double price, double size, long timeMs, boolean takerBuy) {}

  /**
   * Serves {@code stream} (the venue's WebSocket trade protocol) on the venue's port, beside its
   * REST routes; a venue without a stream never calls it.
   */
  default void serveStream(FakeStream stream) {
    throw new UnsupportedOperationException("this server serves no streams");
  }

  /** A price or amount as the exchanges write it: a plain decimal string. */
  static String decimal(double d) {
    return Double.isFinite(d) ? BigDecimal.valueOf(d).toPlainString() : "0";
  }

  /** A numeric query parameter, {@code def} when absent. */
  static long param(MultiMap p, String name, long def) {
    String v = p.get(name);
    return v == null ? def : Long.parseLong(v);
  }

  /** The start of the current minute, in epoch seconds. */
  static long minuteNow() {
    return Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
  }
}
