package oracle.exchange;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uniswap v3 pools over Ethereum JSON-RPC: one batch of {@code eth_call}s of {@code slot0()}
 * (selector {@code 0x3850c7bd}) per tick, one per configured pool. The first word of the answer is
 * {@code sqrtPriceX96}; token1 per token0 in whole tokens is
 * {@code (sqrtPriceX96 / 2^96)^2 * 10^(decimals0 - decimals1)}, inverted when the base is token1.
 * A pool has no exchange timestamp (the receive time is used) and no 24 h volume here, so it takes
 * part in outlier removal and the median but carries no VWAP weight. No klines.
 */
public final class UniswapV3Adapter extends HttpExchangeAdapter {
  public static final String SLOT0_SELECTOR = "0x3850c7bd";
  private static final BigDecimal Q192 = new BigDecimal(BigInteger.ONE.shiftLeft(192));
  private static final MathContext MC = MathContext.DECIMAL128;

  private final Map<String, UniswapPool> pools;

  public UniswapV3Adapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, List.of());
    this.pools = settings.pools();
  }

  @Override
  public boolean lists(String symbol) {
    return pools.containsKey(symbol);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    JsonArray batch = new JsonArray();
    List<String> asked = new ArrayList<>();
    for (String symbol : symbols) {
      UniswapPool pool = pools.get(symbol);
      if (pool == null) continue;
      batch.add(new JsonObject().put("jsonrpc", "2.0").put("id", asked.size()).put("method", "eth_call")
          .put("params", new JsonArray().add(new JsonObject().put("to", pool.address()).put("data", SLOT0_SELECTOR)).add("latest")));
      asked.add(symbol);
    }
    if (asked.isEmpty()) return Future.succeededFuture(List.of());
    return postJson(batch).map(b -> parseBatch(b.toJsonArray(), asked, pools, System.currentTimeMillis()));
  }

  /** JSON-RPC batch answers (any order) matched to {@code asked} by id; an answer with an error is skipped. */
  public static List<Quote> parseBatch(JsonArray answers, List<String> asked, Map<String, UniswapPool> pools, long receivedMs) {
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.getJsonObject(i);
      long id = longNum(a.getValue("id"), -1);
      String result = a.getString("result");
      if (id < 0 || id >= asked.size() || result == null || a.getValue("error") != null) continue;
      String symbol = asked.get((int) id);
      UniswapPool pool = pools.get(symbol);
      double price = priceFromSlot0(result, pool);
      out.add(new Quote("uniswap", symbol, pool.quoteCurrency(), price, Double.NaN, Double.NaN, receivedMs, Double.NaN, Double.NaN));
    }
    return out;
  }

  /** Price of the base token in the quote token from a {@code slot0()} return value; NaN when unusable. */
  public static double priceFromSlot0(String hex, UniswapPool pool) {
    String h = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (h.length() < 64) return Double.NaN;
    BigInteger sqrtPriceX96 = new BigInteger(h.substring(0, 64), 16);
    if (sqrtPriceX96.signum() == 0) return Double.NaN;
    BigDecimal token1PerToken0 = new BigDecimal(sqrtPriceX96.multiply(sqrtPriceX96))
        .divide(Q192, MC)
        .scaleByPowerOfTen(pool.token0Decimals() - pool.token1Decimals());
    BigDecimal price = pool.baseIsToken0() ? token1PerToken0 : BigDecimal.ONE.divide(token1PerToken0, MC);
    return price.doubleValue();
  }

  /** The sqrtPriceX96 that encodes {@code price} for {@code pool} (inverse of {@link #priceFromSlot0}; for fakes and tests). */
  public static BigInteger sqrtPriceX96For(double price, UniswapPool pool) {
    BigDecimal p = new BigDecimal(price);
    BigDecimal token1PerToken0 = pool.baseIsToken0() ? p : BigDecimal.ONE.divide(p, MC);
    BigDecimal raw = token1PerToken0.scaleByPowerOfTen(pool.token1Decimals() - pool.token0Decimals());
    return raw.multiply(Q192).sqrt(MC).toBigInteger();
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
  protected Future<List<Kline>> fetchKlinePage(String symbol, Market market, long fromSec, long toSec) {
    return Future.succeededFuture(List.of());
  }
}
