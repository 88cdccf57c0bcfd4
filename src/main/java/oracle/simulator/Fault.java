package oracle.simulator;

/** A misbehaviour the {@link FakeExchangeServer} injects into one exchange's answers. */
public sealed interface Fault {
  /** Answer after {@code ms} milliseconds (combine with others: the delay applies first). */
  record Delay(long ms) implements Fault {}

  /** Answer with this HTTP status (429, 500, ...) and a small error body. */
  record Status(int code) implements Fault {}

  /** Answer 200 with a body that is not JSON. */
  record Malformed() implements Fault {}

  /** Multiply every price by {@code factor} (10× for an absurd price; -1 for a negative one). */
  record PriceFactor(double factor) implements Fault {}

  /** Report exchange timestamps {@code ms} in the past. */
  record Stale(long ms) implements Fault {}

  /** Accept the connection and never answer. */
  record Hang() implements Fault {}

  /**
   * The venue's trade stream keeps its connections open and sends nothing: no trade, heartbeat, ack
   * or pong (REST still answers). The tape keeps trading.
   */
  record StreamSilent() implements Fault {}

  /**
   * The venue's trade stream withholds every trade until {@code untilMs} (epoch ms) while the
   * market keeps trading: the next trade sent after it skips the withheld trade ids (a gap), and
   * REST klines still count them.
   */
  record StreamGap(long untilMs) implements Fault {}

  /** The venue's trade stream delivers each trade {@code ms} late. */
  record StreamDelay(long ms) implements Fault {}

  /** See {@link StreamSilent}. */
  static Fault streamSilent() {
    return new StreamSilent();
  }

  /** See {@link StreamGap}: a gap of the trades of the next {@code ms}. */
  static Fault streamGap(long ms) {
    return new StreamGap(System.currentTimeMillis() + ms);
  }

  /** See {@link StreamDelay}. */
  static Fault streamDelay(long ms) {
    return new StreamDelay(ms);
  }

  static Fault delay(long ms) {
    return new Delay(ms);
  }

  static Fault status(int code) {
    return new Status(code);
  }

  static Fault malformed() {
    return new Malformed();
  }

  static Fault absurdPrice(double factor) {
    return new PriceFactor(factor);
  }

  static Fault stale(long ms) {
    return new Stale(ms);
  }

  static Fault hang() {
    return new Hang();
  }
}
