package oracle.http.ratelimit;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Who a request counts against. The direct peer, unless the peer is a trusted proxy: then the
 * {@code X-Forwarded-For} chain is read from the right (the entries proxies appended), skipping
 * trusted proxies, and the first other address is the client. Entries left of it are the client's
 * own claims and are ignored, so a client cannot pick its own bucket.
 */
public final class ClientAddress {
  private ClientAddress() {}

  public static String of(HttpServerRequest request, TrustedProxies trusted) {
    SocketAddress remote = request.remoteAddress();
    String peer =
        remote == null
            ? "unknown"
            : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    // The header is read (and its values joined) only for a trusted peer: for a direct client (no
    // proxies configured, the usual case) a request costs no header lookup or string building.
    if (!trusted.contains(peer)) return peer;
    List<String> values = request.headers().getAll(FORWARDED_FOR);
    return of(peer, values.size() == 1 ? values.get(0) : String.join(",", values), trusted);
  }

  private static final CharSequence FORWARDED_FOR =
      io.vertx.core.http.HttpHeaders.createOptimized("x-forwarded-for");

  /**
   * The bucket a client counts against: an IPv4 address as is, an IPv6 address by its /64 (one
   * subscriber usually holds a whole /64, so per-address keys would let it rotate past any limit).
   */
  public static String key(HttpServerRequest request, TrustedProxies trusted) {
    return key(of(request, trusted));
  }

  /**
   * {@code 2001:db8:1:2::7} becomes {@code 2001:db8:1:2::/64}; anything else is returned unchanged.
   */
  public static String key(String client) {
    if (client == null || client.indexOf(':') < 0) return client;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(client);
    if (bytes == null || bytes.length != 16) return client;
    if (isV4Mapped(bytes))
      return NetUtil.bytesToIpAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
    java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(bytes) + "/64";
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** {@code forwardedFor}: the X-Forwarded-For values joined with commas (empty when absent). */
  public static String of(String peer, String forwardedFor, TrustedProxies trusted) {
    if (!trusted.contains(peer)) return peer;
    String header = forwardedFor == null ? "" : forwardedFor;
    if (header.isBlank()) return peer;
    String[] hops = header.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = strip(hops[i]);
      if (hop == null) break; // garbage: stop at the last address we could trust
      client = hop;
      if (!trusted.contains(hop)) break;
    }
    return client;
  }

  /** An IP literal without brackets or port, or null when it is not one. */
  private static String strip(String raw) {
    String s = raw.trim();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      s = close > 0 ? s.substring(1, close) : s;
    } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with a port
    }
    return NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s) ? s : null;
  }
}
