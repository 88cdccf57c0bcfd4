package oracle.exchange.uniswap;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import oracle.exchange.DropReason;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.HttpExchangeAdapter;
import oracle.exchange.Kline;
import oracle.exchange.Market;
import oracle.exchange.MarketRule;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.UniswapPool;

/**
 * Uniswap v3 pools over Ethereum JSON-RPC, one batch per tick. Per pool: {@code slot0()} (the spot
 * price, which one transaction can move for a block), {@code observe([twapSeconds, 0])} (the
 * time-weighted price: the pool's price), and {@code balanceOf(pool)} on both tokens (its depth,
 * valued in the quote currency: the VWAP weight); once per batch {@code
 * eth_getBlockByNumber("latest")}, whose timestamp is the quotes' timestamp, so a stuck RPC node's
 * answers turn stale. A pool whose spot is further than {@code maxSpotDeviation} from its TWAP is
 * reported as {@code manipulated} (with its spot price) and never used. The token addresses are
 * read once per pool ({@code token0()}, {@code token1()}); a pool whose tokens cannot be read (a
 * call reverts, or the address holds no pool) is reported as {@code unreadable} alone, the others
 * are read as usual, and its tokens are asked again at most once per {@link #UNREADABLE_RETRY_MS}.
 *
 * <p>Prices: token1 per token0 in whole tokens is {@code (sqrtPriceX96 / 2^96)^2 * 10^(decimals0 -
 * decimals1)} for the spot and {@code 1.0001^meanTick * 10^(decimals0 - decimals1)} for the TWAP,
 * where meanTick is the tick-cumulative difference over the window; inverted when the base is
 * token1. No klines.
 */
public final class UniswapV3Adapter extends HttpExchangeAdapter {
  /**
   * Reads configured pools over an Ethereum JSON-RPC node, one batch per tick; no klines; not in
   * the default {@code exchanges} list.
   */
  public static final ExchangeSpec SPEC =
      new ExchangeSpec(
          "uniswap",
          "https://ethereum-rpc.publicnode.com",
          5,
          MarketRule.SYMBOL,
          false, // enabledByDefault
          false, // klines
          java.util.Optional.empty(), // instruments
          true, // pools
          UniswapV3Adapter::new,
          UniswapFake::routes,
          0); // default burst: twice the rate

  public static final String SLOT0_SELECTOR = "0x3850c7bd";
  public static final String OBSERVE_SELECTOR = "0x883bdbfd";
  public static final String BALANCE_OF_SELECTOR = "0x70a08231";
  public static final String TOKEN0_SELECTOR = "0x0dfe1681";
  public static final String TOKEN1_SELECTOR = "0xd21220a7";

  /** Calls per pool in a tick's batch: slot0, observe, balanceOf(token0), balanceOf(token1). */
  static final int CALLS_PER_POOL = 4;

  private static final BigDecimal Q192 = new BigDecimal(BigInteger.ONE.shiftLeft(192));
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
  private static final BigInteger TWO_255 = BigInteger.ONE.shiftLeft(255);
  private static final MathContext MC = MathContext.DECIMAL128;

  private final Map<String, UniswapPool> pools;
  private final int twapSeconds;
  private final double maxSpotDeviation;

  /** Pool address → its two token addresses, read once. */
  private final Map<String, List<String>> tokens = new ConcurrentHashMap<>();

  /** How long a pool whose tokens could not be read waits before they are asked again. */
  static final long UNREADABLE_RETRY_MS = 60_000;

  /** Pool address → when its unreadable tokens may be asked again (ms). */
  private final Map<String, Long> unreadableUntil = new ConcurrentHashMap<>();

  public UniswapV3Adapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, List.of());
    this.pools = settings.pools();
    this.twapSeconds = settings.twapSeconds();
    this.maxSpotDeviation = settings.maxSpotDeviation();
  }

  @Override
  public boolean lists(String symbol) {
    return pools.containsKey(symbol);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    List<String> listed = symbols.stream().filter(pools::containsKey).toList();
    if (listed.isEmpty()) return Future.succeededFuture(List.of());
    return resolveTokens(listed)
        .compose(
            v -> {
              List<Quote> unreadable = new ArrayList<>();
              List<String> asked = new ArrayList<>(listed.size());
              for (String symbol : listed) {
                UniswapPool pool = pools.get(symbol);
                if (tokens.containsKey(pool.address())) asked.add(symbol);
                else unreadable.add(unreadable(symbol, pool));
              }
              if (asked.isEmpty()) return Future.succeededFuture(unreadable);
              JsonArray batch = new JsonArray();
              for (int i = 0; i < asked.size(); i++) {
                UniswapPool pool = pools.get(asked.get(i));
                List<String> t = tokens.get(pool.address());
                batch.add(call(CALLS_PER_POOL * i, pool.address(), SLOT0_SELECTOR));
                batch.add(call(CALLS_PER_POOL * i + 1, pool.address(), observeCall(twapSeconds)));
                batch.add(
                    call(
                        CALLS_PER_POOL * i + 2,
                        t.get(0),
                        BALANCE_OF_SELECTOR + word(pool.address())));
                batch.add(
                    call(
                        CALLS_PER_POOL * i + 3,
                        t.get(1),
                        BALANCE_OF_SELECTOR + word(pool.address())));
              }
              batch.add(
                  new JsonObject()
                      .put("jsonrpc", "2.0")
                      .put("id", CALLS_PER_POOL * asked.size())
                      .put("method", "eth_getBlockByNumber")
                      .put("params", new JsonArray().add("latest").add(false)));
              return postJson(batch)
                  .map(
                      b -> {
                        List<Quote> out =
                            new ArrayList<>(
                                parseBatch(
                                    b.toJsonArray(), asked, pools, twapSeconds, maxSpotDeviation));
                        out.addAll(unreadable);
                        return out;
                      });
            });
  }

  /** A pool left out because its tokens could not be read: no price, named with the reason. */
  private Quote unreadable(String symbol, UniswapPool pool) {
    return new Quote(
        name(),
        symbol,
        pool.quoteCurrency(),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        System.currentTimeMillis(),
        Double.NaN,
        Double.NaN,
        DropReason.UNREADABLE);
  }

  /**
   * Reads token0() and token1() of every pool not yet known (and not waiting after a failed read),
   * in one batch; a pool whose answers are unreadable waits {@link #UNREADABLE_RETRY_MS}.
   */
  private Future<Void> resolveTokens(List<String> symbols) {
    long now = System.currentTimeMillis();
    List<UniswapPool> unknown =
        symbols.stream()
            .map(pools::get)
            .filter(p -> !tokens.containsKey(p.address()))
            .filter(p -> unreadableUntil.getOrDefault(p.address(), 0L) <= now)
            .distinct()
            .toList();
    if (unknown.isEmpty()) return Future.succeededFuture();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < unknown.size(); i++) {
      batch.add(call(2 * i, unknown.get(i).address(), TOKEN0_SELECTOR));
      batch.add(call(2 * i + 1, unknown.get(i).address(), TOKEN1_SELECTOR));
    }
    return postJson(batch)
        .map(
            b -> {
              Map<Long, String> results = results(b.toJsonArray());
              for (int i = 0; i < unknown.size(); i++) {
                String t0 = address(results.get(2L * i));
                String t1 = address(results.get(2L * i + 1));
                if (t0 != null && t1 != null) tokens.put(unknown.get(i).address(), List.of(t0, t1));
              }
              for (UniswapPool p : unknown) {
                if (!tokens.containsKey(p.address()))
                  unreadableUntil.put(p.address(), now + UNREADABLE_RETRY_MS);
              }
              return null;
            });
  }

  private static JsonObject call(long id, String to, String data) {
    return new JsonObject()
        .put("jsonrpc", "2.0")
        .put("id", id)
        .put("method", "eth_call")
        .put(
            "params",
            new JsonArray().add(new JsonObject().put("to", to).put("data", data)).add("latest"));
  }

  /** ABI call data of {@code observe(uint32[] secondsAgos)} with {@code [seconds, 0]}. */
  public static String observeCall(int seconds) {
    return OBSERVE_SELECTOR
        + word(BigInteger.valueOf(32))
        + word(BigInteger.valueOf(2))
        + word(BigInteger.valueOf(seconds))
        + word(BigInteger.ZERO);
  }

  /**
   * The tick's batch answers (any order) for {@code asked} pools, in the layout {@link
   * #fetchQuotes} sends: ids {@code 4i..4i+3} per pool, then the block. A pool without a readable
   * spot or TWAP gives no quote; missing balances give no weight; a missing block gives timestamp 0
   * (stale, never guessed).
   */
  public static List<Quote> parseBatch(
      JsonArray answers,
      List<String> asked,
      Map<String, UniswapPool> pools,
      int twapSeconds,
      double maxSpotDeviation) {
    Map<Long, Object> results = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.getJsonObject(i);
      long id = longNum(a.getValue("id"), -1);
      if (id >= 0 && a.getValue("error") == null && a.getValue("result") != null)
        results.put(id, a.getValue("result"));
    }
    long blockMs =
        results.get((long) CALLS_PER_POOL * asked.size()) instanceof JsonObject block
            ? hexLong(block.getString("timestamp")) * 1000
            : 0;
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      String symbol = asked.get(i);
      UniswapPool pool = pools.get(symbol);
      long base = (long) CALLS_PER_POOL * i;
      double spot = results.get(base) instanceof String s ? priceFromSlot0(s, pool) : Double.NaN;
      double twap =
          results.get(base + 1) instanceof String s
              ? priceFromObserve(s, twapSeconds, pool)
              : Double.NaN;
      if (!Double.isFinite(spot) || !Double.isFinite(twap) || twap <= 0) continue;
      double depth = depth(results.get(base + 2), results.get(base + 3), twap, pool);
      boolean manipulated = Math.abs(spot / twap - 1) > maxSpotDeviation;
      out.add(
          new Quote(
              "uniswap",
              symbol,
              pool.quoteCurrency(),
              manipulated ? spot : twap,
              Double.NaN,
              Double.NaN,
              blockMs,
              depth,
              Double.NaN,
              manipulated ? DropReason.MANIPULATED : null));
    }
    return out;
  }

  /**
   * Both token balances of the pool valued in the quote token at {@code price}; NaN when either is
   * unreadable.
   */
  static double depth(Object balance0, Object balance1, double price, UniswapPool pool) {
    if (!(balance0 instanceof String b0) || !(balance1 instanceof String b1)) return Double.NaN;
    double amount0 =
        new BigDecimal(uint(b0)).scaleByPowerOfTen(-pool.token0Decimals()).doubleValue();
    double amount1 =
        new BigDecimal(uint(b1)).scaleByPowerOfTen(-pool.token1Decimals()).doubleValue();
    return pool.baseIsToken0() ? amount0 * price + amount1 : amount1 * price + amount0;
  }

  /**
   * Price of the base token in the quote token from a {@code slot0()} return value; NaN when
   * unusable.
   */
  public static double priceFromSlot0(String hex, UniswapPool pool) {
    String h = strip(hex);
    if (h.length() < 64) return Double.NaN;
    BigInteger sqrtPriceX96 = new BigInteger(h.substring(0, 64), 16);
    if (sqrtPriceX96.signum() == 0) return Double.NaN;
    BigDecimal token1PerToken0 =
        new BigDecimal(sqrtPriceX96.multiply(sqrtPriceX96))
            .divide(Q192, MC)
            .scaleByPowerOfTen(pool.token0Decimals() - pool.token1Decimals());
    BigDecimal price =
        pool.baseIsToken0() ? token1PerToken0 : BigDecimal.ONE.divide(token1PerToken0, MC);
    return price.doubleValue();
  }

  /**
   * The TWAP over {@code seconds} from an {@code observe([seconds, 0])} return value ({@code
   * (int56[] tickCumulatives, uint160[] secondsPerLiquidityCumulativeX128s)}); NaN when unusable.
   */
  public static double priceFromObserve(String hex, int seconds, UniswapPool pool) {
    String h = strip(hex);
    try {
      int offset = new BigInteger(h.substring(0, 64), 16).intValueExact() * 2;
      int n = new BigInteger(h.substring(offset, offset + 64), 16).intValueExact();
      if (n < 2) return Double.NaN;
      BigInteger older = signed(h.substring(offset + 64, offset + 128));
      BigInteger newer = signed(h.substring(offset + 128, offset + 192));
      double meanTick = newer.subtract(older).doubleValue() / seconds;
      double token1PerToken0 =
          Math.pow(1.0001, meanTick) * Math.pow(10, pool.token0Decimals() - pool.token1Decimals());
      return pool.baseIsToken0() ? token1PerToken0 : 1 / token1PerToken0;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * The tick whose price is {@code price} for {@code pool}, fractional (inverse of the TWAP
   * formula; for fakes and tests).
   */
  public static double tickFor(double price, UniswapPool pool) {
    double token1PerToken0 = pool.baseIsToken0() ? price : 1 / price;
    double raw = token1PerToken0 * Math.pow(10, pool.token1Decimals() - pool.token0Decimals());
    return Math.log(raw) / Math.log(1.0001);
  }

  /**
   * The sqrtPriceX96 that encodes {@code price} for {@code pool} (inverse of {@link
   * #priceFromSlot0}; for fakes and tests).
   */
  public static BigInteger sqrtPriceX96For(double price, UniswapPool pool) {
    BigDecimal p = new BigDecimal(price);
    BigDecimal token1PerToken0 = pool.baseIsToken0() ? p : BigDecimal.ONE.divide(p, MC);
    BigDecimal raw =
        token1PerToken0.scaleByPowerOfTen(pool.token1Decimals() - pool.token0Decimals());
    return raw.multiply(Q192).sqrt(MC).toBigInteger();
  }

  /**
   * One 32-byte ABI word, hex without 0x: an unsigned integer or (two's complement) a negative one.
   */
  public static String word(BigInteger v) {
    String h = (v.signum() < 0 ? v.add(TWO_256) : v).toString(16);
    return "0".repeat(64 - h.length()) + h;
  }

  /** An address as an ABI word. */
  public static String word(String address) {
    return "0".repeat(24) + strip(address).toLowerCase(Locale.ROOT);
  }

  private static BigInteger signed(String word) {
    BigInteger v = new BigInteger(word, 16);
    return v.compareTo(TWO_255) >= 0 ? v.subtract(TWO_256) : v;
  }

  private static BigInteger uint(String hex) {
    String h = strip(hex);
    return h.isEmpty()
        ? BigInteger.ZERO
        : new BigInteger(h.length() > 64 ? h.substring(0, 64) : h, 16);
  }

  private static String address(Object result) {
    if (!(result instanceof String s)) return null;
    String h = strip(s);
    return h.length() < 64 ? null : "0x" + h.substring(24, 64).toLowerCase(Locale.ROOT);
  }

  private static long hexLong(String hex) {
    if (hex == null) return 0;
    try {
      return Long.parseLong(strip(hex), 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") ? hex.substring(2) : hex;
  }

  private static Map<Long, String> results(JsonArray answers) {
    Map<Long, String> out = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.getJsonObject(i);
      long id = longNum(a.getValue("id"), -1);
      if (id >= 0 && a.getValue("error") == null && a.getValue("result") instanceof String r)
        out.put(id, r);
    }
    return out;
  }

  @Override
  protected int klinesPerRequest() {
    return 1;
  }

  @Override
  public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
    return Future.succeededFuture(List.of());
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    return Future.succeededFuture(List.of());
  }
}
