package oracle.http.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The rate limit's client key: IPv4 as is, IPv6 by its /64, so one subscriber cannot rotate
 * addresses past the limit.
 */
class ClientKeyTest {
  @Test
  void ipv6ClientsAreKeyedByTheirSlash64() {
    assertThat(ClientAddress.key("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.key("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(ClientAddress.key("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.key("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.key("unknown")).isEqualTo("unknown");
  }
}
