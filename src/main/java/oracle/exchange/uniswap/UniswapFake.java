package oracle.exchange.uniswap;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import oracle.exchange.FakeMarkets;

/**
 * Uniswap v3 pools over Ethereum JSON-RPC, for tests and dev mode (single or batch): {@code
 * eth_call} of {@code slot0()}, {@code observe(uint32[])}, {@code token0()}, {@code token1()}, the
 * tokens' {@code balanceOf(pool)}, and {@code eth_getBlockByNumber}. A pool's spot ({@code slot0})
 * and its observation history ({@code observe}) are scripted apart, so a test can move one without
 * the other, as a flash loan moves the spot for a block while the TWAP barely moves.
 */
final class UniswapFake {
  private final FakeMarkets view;

  private UniswapFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Uniswap's routes. */
  static void routes(Router r, FakeMarkets view) {
    UniswapFake fake = new UniswapFake(view);
    r.post().handler(BodyHandler.create());
    r.post().handler(fake::jsonRpc);
  }

  private void jsonRpc(RoutingContext ctx) {
    Object body;
    try {
      String text = ctx.body().asString().trim();
      body = text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    } catch (RuntimeException e) {
      view.json(ctx, rpcError(null, -32700, "Parse error"));
      return;
    }
    if (body instanceof JsonArray batch) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < batch.size(); i++) out.add(rpcCall(batch.getJsonObject(i)));
      view.json(ctx, out);
    } else {
      view.json(ctx, rpcCall((JsonObject) body));
    }
  }

  private JsonObject rpcCall(JsonObject req) {
    Object id = req.getValue("id");
    if ("eth_getBlockByNumber".equals(req.getString("method"))) {
      // Mainnet-shaped block header (the fields the oracle reads); Fault.stale ages it, as a stuck
      // node would.
      long ts = view.nowMs() / 1000;
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
    double f = view.priceFactor();
    for (FakeMarkets.Pool p : view.pools()) {
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
  private static String observe(FakeMarkets.Pool p, String data, double factor) {
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
