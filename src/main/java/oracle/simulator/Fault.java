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
