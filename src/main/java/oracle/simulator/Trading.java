package oracle.simulator;

/**
 * How the fake exchanges trade when {@link FakeExchangeServer#trading(Trading)} is on: every market
 * of every venue prints trades at random instants (a Poisson process) around its scripted price,
 * and its tickers, klines and stream all read those trades.
 *
 * @param tradesPerSecond mean trades per second of one market on one venue
 * @param spread standard deviation of a trade's price around the scripted price (relative)
 * @param minuteVolatility standard deviation of one history minute's relative price move
 * @param seed seed of every market's random tape (a market's tape depends on it and its name only)
 */
public record Trading(double tradesPerSecond, double spread, double minuteVolatility, long seed) {
  public Trading {
    if (!(tradesPerSecond > 0) || tradesPerSecond > 10_000)
      throw new IllegalArgumentException(
          "tradesPerSecond must be in (0, 10000]: " + tradesPerSecond);
    if (!(spread >= 0) || !(minuteVolatility >= 0))
      throw new IllegalArgumentException("spread and minuteVolatility must be >= 0");
  }

  /** Two trades a second per market, 2 bp of spread, 0.1 % a minute of history volatility. */
  public static Trading defaults(long seed) {
    return new Trading(2, 0.0002, 0.001, seed);
  }

  public Trading withRate(double tradesPerSecond) {
    return new Trading(tradesPerSecond, spread, minuteVolatility, seed);
  }
}
