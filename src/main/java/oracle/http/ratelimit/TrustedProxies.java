package oracle.http.ratelimit;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import oracle.config.ConfigException;

/**
 * The proxies whose {@code X-Forwarded-For} is believed: IP addresses or CIDR blocks (IPv4 or
 * IPv6). Only literals are accepted (never host names, which would need DNS at request time).
 */
public final class TrustedProxies {
  private final List<IpSubnetFilterRule> rules;

  private TrustedProxies(List<IpSubnetFilterRule> rules) {
    this.rules = rules;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * Parses entries like {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}; a bad one names {@code
   * key}.
   */
  public static TrustedProxies parse(String key, List<String> entries) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.trim().split("/", -1);
      byte[] address =
          parts.length <= 2 ? NetUtil.createByteArrayFromIpAddressString(parts[0]) : null;
      if (address == null)
        throw new ConfigException(key, "IP addresses or CIDR blocks (e.g. 10.0.0.0/8)", entry);
      int maxPrefix = address.length * 8;
      int prefix = maxPrefix;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > maxPrefix)
          throw new ConfigException(key, "a CIDR prefix length between 0 and " + maxPrefix, entry);
      }
      try {
        rules.add(
            new IpSubnetFilterRule(
                InetAddress.getByAddress(address), prefix, IpFilterRuleType.ACCEPT));
      } catch (UnknownHostException e) {
        throw new ConfigException(key, "IP addresses or CIDR blocks", entry);
      }
    }
    return new TrustedProxies(List.copyOf(rules));
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Whether {@code ip} (a literal) is a trusted proxy; anything unparsable is not. */
  public boolean contains(String ip) {
    if (rules.isEmpty() || ip == null) return false;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
    if (bytes == null) return false;
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
      for (IpSubnetFilterRule rule : rules) {
        if (rule.matches(address)) return true;
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }
}
