package oracle.dev;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oracle.exchange.registry.Exchanges;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Trading;

/**
 * The built-in market: a {@link FakeExchangeServer} (each exchange's real REST format and trade
 * stream on loopback) whose prices follow a random walk, so the oracle's whole real path runs
 * (adapters, breakers, aggregation, Redis, flush, API) and the open candle visibly moves. Each
 * exchange trades around the walk with its own small spread ({@link Trading}): its ticker is its
 * last trade, its klines are the minutes of its trades, with a day of history so the first run's
 * backfill fills the chart. Upbit quotes in KRW through a fixed USDT/KRW rate, as the real one
 * does.
 */
final class MarketSimulator {
  static final List<String> CEX = FakeExchangeServer.MARKET_EXCHANGES;
  static final double KRW_PER_USDT = 1_400;
  static final long STEP_MS = 500;

  /** Standard deviation of one step's relative move (about 0.3 % a minute). */
  private static final double STEP_VOLATILITY = 0.0004;

  private final FakeExchangeServer fake;
  private final Map<String, Double> prices = new LinkedHashMap<>();
  private final Random random = new Random();

  /**
   * Whether dev mode reads the simulated venues' trade streams ({@code sources.<name>.stream},
   * {@code wsUrl} at the fakes), as it reads the real venues' by default; false polls their REST
   * APIs only (a configuration that does not know the two keys ignores them).
   */
  static final boolean STREAMS = true;

  /**
   * The request budget dev mode gives each simulated venue: the simulator enforces only Coinbase's
   * real limit (10 a second), so Kraken's real 1 a second (all of it spent by the 1 Hz ticker poll,
   * leaving no spare token for the first run's backfill: nine {@code kraken: rate limited}
   * warnings) need not apply to it.
   */
  static final JsonObject SIMULATED_KRAKEN_BUDGET =
      new JsonObject().put("requestsPerSecond", 5).put("burst", 10);

  private MarketSimulator(FakeExchangeServer fake, List<String> symbols) {
    this.fake = fake;
    for (String s : symbols) prices.put(s, startPrice(s));
  }

  static Future<MarketSimulator> start(Vertx vertx, List<String> symbols) {
    return FakeExchangeServer.start(vertx)
        .map(
            fake -> {
              fake.trading(Trading.defaults(new Random().nextLong()));
              MarketSimulator sim = new MarketSimulator(fake, symbols);
              sim.prices
                  .keySet()
                  .forEach(
                      s ->
                          CEX.forEach(
                              e -> fake.liquidity(e, s, 1e8 + sim.random.nextDouble() * 1e9)));
              fake.price("upbit", "USDT/KRW", KRW_PER_USDT).liquidity("upbit", "USDT/KRW", 1e10);
              sim.step();
              vertx.setPeriodic(STEP_MS, id -> sim.step());
              return sim;
            });
  }

  /** The {@code sources} section pointing every source at the simulator. */
  JsonObject sourcesConfig() {
    JsonObject sources = STREAMS ? fake.streamingSourcesConfig() : fake.sourcesConfig();
    sources.getJsonObject("kraken").put("rateLimit", SIMULATED_KRAKEN_BUDGET.copy());
    return sources;
  }

  /** One step of the walk: each venue's trades follow its new price until the next step. */
  private void step() {
    prices.replaceAll((symbol, p) -> p * (1 + random.nextGaussian() * STEP_VOLATILITY));
    prices.forEach(
        (symbol, p) -> {
          for (String e : CEX) {
            double quote = p * (1 + (random.nextDouble() - 0.5) * 0.0004);
            boolean krw = Exchanges.derive(e, symbol).quoteCurrency().equals("KRW");
            fake.price(e, symbol, krw ? quote * KRW_PER_USDT : quote);
          }
        });
  }

  private static double startPrice(String symbol) {
    return switch (symbol.substring(0, symbol.indexOf('/'))) {
      case "BTC" -> 95_000;
      case "ETH" -> 3_500;
      case "SOL" -> 180;
      case "BNB" -> 650;
      case "XRP" -> 2.2;
      default -> 100;
    };
  }
}
