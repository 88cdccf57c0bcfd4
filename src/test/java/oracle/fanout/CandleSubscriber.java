package oracle.fanout;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * A subscriber in another JVM, as a user writes it (docs/api.md shows this code): joins the
 * oracle's cluster and prints every live candle of one symbol. Arguments: its host, its Hazelcast
 * port, the members ({@code host:port,...}), the symbol. Prints {@code READY}, then {@code CANDLE
 * <json>} per update, and {@code INBOUND <outcome>} for a request it tries to send into the oracle.
 */
public final class CandleSubscriber {
  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    List<String> members = List.of(args[2].split(","));
    String symbol = args[3];

    Config hazelcast = ConfigUtil.loadConfig(); // Vert.x's maps, then the network
    hazelcast.setClusterName("token-price-oracle");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(host);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(members);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(host).setClusterPublicHost(host);

    Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .onSuccess(
            vertx -> {
              vertx
                  .eventBus()
                  .<JsonObject>consumer(
                      "oracle.candle.1m." + symbol,
                      m -> System.out.println("CANDLE " + m.body().encode()))
                  .completion()
                  .onSuccess(v -> System.out.println("READY"));
              // The oracle answers this address on its own bus; through the cluster it must not.
              vertx
                  .eventBus()
                  .request("oracle.leader.status", new JsonObject())
                  .onComplete(
                      ar ->
                          System.out.println(
                              "INBOUND "
                                  + (ar.succeeded() ? "answered" : ar.cause().getMessage())));
            })
        .onFailure(
            err -> {
              System.out.println("FAILED " + err);
              System.exit(1);
            });
  }
}
