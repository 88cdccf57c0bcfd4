package oracle.streaming;

/** One source's stream as {@code /api/v1/health} {@code streams} reports it. */
public enum StreamStatus {
  /** Connected, subscribed and not silent: the source's prices come from its trades. */
  CONNECTED("connected"),
  /** A connection is being (re)opened: the source is polled over REST meanwhile. */
  RECONNECTING("reconnecting"),
  /** Open but not (yet) healthy (not subscribed, silent or lagging): polled over REST. */
  POLLING("polling"),
  /** The stream is disabled ({@code sources.<name>.stream: false}) or not running here. */
  OFF("off");

  private final String label;

  StreamStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
