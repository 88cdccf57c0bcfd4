package oracle.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import org.junit.jupiter.api.Test;

class FanoutSettingsTest {
  private static FanoutSettings of(String json) {
    return FanoutSettings.from(new ConfigReader(new JsonObject(json)));
  }

  @Test
  void offByDefault() {
    FanoutSettings s = of("{}");
    assertThat(s.clusterEnabled()).isFalse();
    assertThat(s.tcpBridgePort()).isZero();
    assertThat(s.any()).isFalse();
    assertThat(s.clusterMembers()).containsExactly("127.0.0.1:5701");
  }

  @Test
  void readsTheEnvironmentsText() {
    FanoutSettings s =
        of(
            "{\"cluster\":{\"enabled\":\"true\",\"port\":\"5801\",\"members\":\"10.0.0.1:5801, 10.0.0.2:5801\"},"
                + "\"tcpBridge\":{\"port\":\"7000\"}}");
    assertThat(s.clusterEnabled()).isTrue();
    assertThat(s.clusterPort()).isEqualTo(5801);
    assertThat(s.clusterMembers()).containsExactly("10.0.0.1:5801", "10.0.0.2:5801");
    assertThat(s.tcpBridgePort()).isEqualTo(7000);
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> of("{\"cluster\":{\"enabled\":\"yes\"}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.enabled");
    assertThatThrownBy(() -> of("{\"cluster\":{\"members\":\"10.0.0.1\"}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.members");
    assertThatThrownBy(() -> of("{\"cluster\":{\"members\":\"h:70000\"}}"))
        .hasMessageContaining("cluster.members");
    assertThatThrownBy(() -> of("{\"tcpBridge\":{\"port\":-1}}"))
        .hasMessageContaining("tcpBridge.port");
  }
}
