package oracle.fanout;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A second, clustered Vert.x instance that only publishes: the oracle's own event bus stays local,
 * and this one registers no consumer, so another member can receive what it publishes but can reach
 * none of the oracle's addresses (outbound only, as on the bridges). Hazelcast joins the configured
 * members over TCP/IP (no multicast) and binds the configured interface only.
 */
public final class ClusterBus {
  private ClusterBus() {}

  /** Joins the cluster; the future fails with the reason when it cannot (a busy port, ...). */
  public static Future<Vertx> join(FanoutSettings settings) {
    return Vertx.builder()
        .with(busOptions(settings.clusterHost()))
        .withClusterManager(new HazelcastClusterManager(hazelcast(settings)))
        .buildClustered();
  }

  static VertxOptions busOptions(String host) {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(host).setClusterPublicHost(host).setPort(0);
    return options;
  }

  /**
   * Vert.x's own Hazelcast configuration (the maps its event bus needs) with the network made
   * explicit.
   */
  static Config hazelcast(FanoutSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("token-price-oracle");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.clusterPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(settings.clusterHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.clusterMembers());
    return config;
  }
}
