package oracle.http.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import oracle.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  final TrustedProxies proxies =
      TrustedProxies.parse(
          "rateLimit.trustedProxies", List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

  @Test
  void trustedProxiesMatchAddressesAndBlocks() {
    assertThat(proxies.contains("10.1.2.3")).isTrue();
    assertThat(proxies.contains("192.168.1.7")).isTrue();
    assertThat(proxies.contains("192.168.1.8")).isFalse();
    assertThat(proxies.contains("fd12::1")).isTrue();
    assertThat(proxies.contains("2001:db8::1")).isFalse();
    assertThat(proxies.contains("not-an-ip")).isFalse();
  }

  @Test
  void badEntriesNameTheKey() {
    for (String bad : List.of("proxy.local", "10.0.0.0/33", "10.0.0.0/x", "1.2.3.4/8/9", "")) {
      assertThatThrownBy(() -> TrustedProxies.parse("rateLimit.trustedProxies", List.of(bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("rateLimit.trustedProxies");
    }
  }

  @Test
  void thePeerIsTheClientUnlessItIsATrustedProxy() {
    assertThat(ClientAddress.of("198.51.100.9", "1.1.1.1", proxies)).isEqualTo("198.51.100.9");
    assertThat(ClientAddress.of("10.0.0.5", "", proxies)).isEqualTo("10.0.0.5");
  }

  @Test
  void behindProxiesTheRightmostUntrustedHopIsTheClient() {
    // The client claimed 6.6.6.6 itself; the edge proxy appended the real address 203.0.113.4.
    assertThat(ClientAddress.of("10.0.0.5", "6.6.6.6, 203.0.113.4, 10.9.9.9", proxies))
        .isEqualTo("203.0.113.4");
    assertThat(ClientAddress.of("10.0.0.5", "203.0.113.4:5555", proxies)).isEqualTo("203.0.113.4");
    assertThat(ClientAddress.of("10.0.0.5", "[2001:db8::7]:443", proxies)).isEqualTo("2001:db8::7");
    // Only proxies in the chain: the leftmost is as far as we can see.
    assertThat(ClientAddress.of("10.0.0.5", "10.1.1.1, 10.2.2.2", proxies)).isEqualTo("10.1.1.1");
    // Garbage appended by nobody we trust: stay with the last trusted hop.
    assertThat(ClientAddress.of("10.0.0.5", "203.0.113.4, garbage", proxies)).isEqualTo("10.0.0.5");
  }
}
