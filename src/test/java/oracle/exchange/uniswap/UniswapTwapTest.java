package oracle.exchange.uniswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import oracle.exchange.UniswapPool;
import org.junit.jupiter.api.Test;

/**
 * The Uniswap v3 reading of issue 12: TWAP from {@code observe}, spot guard, depth from {@code
 * balanceOf}, block time. Spot answers are the real mainnet {@code slot0} results
 * (exchange-recordings); the other answers are built in the same ABI layout.
 */
class UniswapTwapTest {
  private static final JsonObject RECORDED =
      new JsonObject(resource("uniswap/slot0_mainnet_skip-mev.json"));

  /** The recording's WETH/USDC 0.3 % pool: token0 USDC (6), token1 WETH (18), base ETH = token1. */
  private static final UniswapPool WETH_USDC =
      new UniswapPool("0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8", 6, 18, false, "USDC");

  private static final long BLOCK_SEC = 1_764_068_400L;

  private static String resource(String path) {
    try (InputStream in =
        UniswapTwapTest.class.getClassLoader().getResourceAsStream("exchanges/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + path, e);
    }
  }

  private static JsonObject recorded(String name) {
    return RECORDED.getJsonArray("results").stream()
        .map(JsonObject.class::cast)
        .filter(r -> r.getString("name").equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * An observe([seconds, 0]) answer whose mean tick is that of {@code price}, at a negative
   * cumulative base.
   */
  private static String observe(double price, int seconds, UniswapPool pool) {
    double tick = UniswapV3Adapter.tickFor(price, pool);
    long base = -5_000_000_000L;
    return "0x"
        + UniswapV3Adapter.word(BigInteger.valueOf(64))
        + UniswapV3Adapter.word(BigInteger.valueOf(160))
        + UniswapV3Adapter.word(BigInteger.TWO)
        + UniswapV3Adapter.word(BigInteger.valueOf(base))
        + UniswapV3Adapter.word(BigInteger.valueOf(base + Math.round(tick * seconds)))
        + UniswapV3Adapter.word(BigInteger.TWO)
        + UniswapV3Adapter.word(BigInteger.ZERO)
        + UniswapV3Adapter.word(BigInteger.ZERO);
  }

  private static JsonObject ok(long id, Object result) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
  }

  private static JsonArray tick(String slot0, String observe, boolean withBlock) {
    JsonArray a =
        new JsonArray()
            .add(
                ok(
                    3,
                    "0x"
                        + UniswapV3Adapter.word(
                            new BigInteger("1000000000000000000000")))) // 1,000 WETH (token1)
            .add(ok(1, observe))
            .add(ok(0, slot0))
            .add(
                ok(
                    2,
                    "0x"
                        + UniswapV3Adapter.word(
                            new BigInteger("3300000000000")))); // 3,300,000 USDC (token0)
    if (withBlock)
      a.add(
          ok(
              4,
              new JsonObject()
                  .put("number", "0x1521a4c")
                  .put("timestamp", "0x" + Long.toHexString(BLOCK_SEC))));
    return a;
  }

  @Test
  void recordedMainnetSlot0AnswersDecode() {
    assertThat(
            UniswapV3Adapter.priceFromSlot0(
                recorded("weth/usdc mainnet result").getString("result"), WETH_USDC))
        .isCloseTo(3313.131879703879, within(1e-6));
    JsonObject wbtc = recorded("mainnet result for BTC/USDT");
    assertThat(new BigInteger(wbtc.getString("result").substring(2, 66), 16).toString())
        .isEqualTo(wbtc.getString("expectedSqrtPriceX96"));
  }

  @Test
  void theTwapIsThePriceTheDepthItsWeightAndTheBlockItsTime() {
    String spot = recorded("weth/usdc mainnet result").getString("result"); // 3,313.13
    List<Quote> quotes =
        UniswapV3Adapter.parseBatch(
            tick(spot, observe(3_300, 60, WETH_USDC), true),
            List.of("ETH/USDC"),
            Map.of("ETH/USDC", WETH_USDC),
            60,
            0.02);
    assertThat(quotes)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.price())
                  .isCloseTo(3_300, within(3_300 * 1e-5)); // mean tick rounded to 1/60
              assertThat(q.rejected()).isNull();
              assertThat(q.liquidity()).isCloseTo(1_000 * q.price() + 3_300_000, within(1e-3));
              assertThat(q.timestampMs()).isEqualTo(BLOCK_SEC * 1000);
              assertThat(q.quoteCurrency()).isEqualTo("USDC");
            });
  }

  @Test
  void aSpotFarFromTheTwapIsReportedAsManipulatedWithTheSpot() {
    String spot =
        recorded("weth/usdc mainnet result")
            .getString("result"); // 3,313.13, 30 % above a 2,548.6 TWAP
    Quote q =
        UniswapV3Adapter.parseBatch(
                tick(spot, observe(2_548.6, 60, WETH_USDC), true),
                List.of("ETH/USDC"),
                Map.of("ETH/USDC", WETH_USDC),
                60,
                0.02)
            .get(0);
    assertThat(q.rejected()).isEqualTo(DropReason.MANIPULATED);
    assertThat(q.price()).isCloseTo(3313.13, within(0.01));
    // within the guard: 1.5 % off
    Quote fine =
        UniswapV3Adapter.parseBatch(
                tick(spot, observe(3_313.13 / 1.015, 60, WETH_USDC), true),
                List.of("ETH/USDC"),
                Map.of("ETH/USDC", WETH_USDC),
                60,
                0.02)
            .get(0);
    assertThat(fine.rejected()).isNull();
  }

  @Test
  void withoutTheBlockTheQuoteIsStaleAndWithoutObserveThereIsNone() {
    String spot = recorded("weth/usdc mainnet result").getString("result");
    Quote q =
        UniswapV3Adapter.parseBatch(
                tick(spot, observe(3_313, 60, WETH_USDC), false),
                List.of("ETH/USDC"),
                Map.of("ETH/USDC", WETH_USDC),
                60,
                0.02)
            .get(0);
    assertThat(q.timestampMs()).isZero();
    JsonArray reverted = tick(spot, "0x", true);
    reverted.getJsonObject(1).remove("result");
    reverted
        .getJsonObject(1)
        .put("error", new JsonObject().put("code", 3).put("message", "execution reverted: OLD"));
    assertThat(
            UniswapV3Adapter.parseBatch(
                reverted, List.of("ETH/USDC"), Map.of("ETH/USDC", WETH_USDC), 60, 0.02))
        .isEmpty();
  }

  @Test
  void observeCallDataIsTheAbiEncodingOfTheWindowAndNow() {
    assertThat(UniswapV3Adapter.observeCall(60))
        .isEqualTo(
            "0x883bdbfd"
                + "0".repeat(62)
                + "20"
                + "0".repeat(63)
                + "2"
                + "0".repeat(62)
                + "3c"
                + "0".repeat(64));
    UniswapPool wethUsdt =
        new UniswapPool("0x4e68ccd3e89f51c3074ca5072bbac773960dfa36", 18, 6, true, "USDT");
    assertThat(
            UniswapV3Adapter.priceFromObserve(observe(0.00001234, 1800, wethUsdt), 1800, wethUsdt))
        .isCloseTo(0.00001234, within(0.00001234 * 1e-5)); // a negative tick
  }
}
