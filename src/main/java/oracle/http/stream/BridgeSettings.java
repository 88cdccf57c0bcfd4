package oracle.http.stream;

import oracle.config.ConfigReader;

/**
 * {@code http.bridge.maxPerClient} (8), {@code http.bridge.maxTotal} (1000) and {@code
 * http.bridge.maxSubscriptions} (100): open event-bus bridge sockets per client (the rate limit's
 * client key) and per process (a socket beyond is closed at once), and addresses one socket may
 * subscribe to (a registration beyond is refused with an error frame).
 */
public record BridgeSettings(int maxPerClient, int maxTotal, int maxSubscriptions) {
  public static final BridgeSettings DEFAULT = new BridgeSettings(8, 1_000, 100);

  public static BridgeSettings from(ConfigReader http) {
    ConfigReader bridge = http.section("bridge");
    return new BridgeSettings(
        bridge.intValue("maxPerClient", DEFAULT.maxPerClient, 1, 100_000),
        bridge.intValue("maxTotal", DEFAULT.maxTotal, 1, 1_000_000),
        bridge.intValue("maxSubscriptions", DEFAULT.maxSubscriptions, 1, 10_000));
  }
}
