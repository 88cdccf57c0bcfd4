package oracle.fanout;

import java.util.List;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;

/**
 * The {@code cluster} and {@code tcpBridge} sections: how live candles leave the process besides
 * SSE and the SockJS bridge. Both are off by default (and in dev mode).
 *
 * @param clusterEnabled join a Hazelcast cluster and publish the leader's candles on its event bus
 * @param clusterHost the address this member binds and announces (a private interface)
 * @param clusterPort Hazelcast's port
 * @param clusterMembers the members to join ({@code host:port}), TCP/IP discovery, no multicast
 * @param tcpBridgePort the TCP event-bus bridge's port (0: off)
 * @param tcpBridgeHost the address it listens on
 * @param tcpMaxClients connections the TCP bridge holds at most
 * @param tcpMaxPerClient connections one remote address may hold
 * @param tcpMaxSubscriptions addresses one connection may subscribe to
 */
public record FanoutSettings(
    boolean clusterEnabled,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    int tcpBridgePort,
    String tcpBridgeHost,
    int tcpMaxClients,
    int tcpMaxPerClient,
    int tcpMaxSubscriptions) {

  public static FanoutSettings from(ConfigReader root) {
    ConfigReader cluster = root.section("cluster");
    boolean enabled = bool(cluster, "enabled");
    String host = cluster.string("host", "127.0.0.1");
    int port = cluster.intValue("port", 5701, 1, 65535);
    List<String> members = cluster.stringList("members", List.of(host + ":" + port));
    for (String m : members) {
      int colon = m.lastIndexOf(':');
      boolean ok = colon > 0 && colon < m.length() - 1;
      if (ok) {
        try {
          int p = Integer.parseInt(m.substring(colon + 1));
          ok = p >= 1 && p <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) throw new ConfigException(cluster.key("members"), "host:port entries", m);
    }
    ConfigReader tcp = root.section("tcpBridge");
    return new FanoutSettings(
        enabled,
        host,
        port,
        members,
        tcp.intValue("port", 0, 0, 65535),
        tcp.string("host", "127.0.0.1"),
        tcp.intValue("maxClients", 1_000, 1, 100_000),
        tcp.intValue("maxPerClient", 10, 1, 10_000),
        tcp.intValue("maxSubscriptions", 100, 1, 100_000));
  }

  /** true/false, as a JSON boolean or as the text an environment variable gives. */
  private static boolean bool(ConfigReader section, String name) {
    Object v = section.json().getValue(name);
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")))
      return Boolean.parseBoolean(s);
    throw new ConfigException(section.key(name), "true or false", v);
  }

  public boolean any() {
    return clusterEnabled || tcpBridgePort > 0;
  }
}
