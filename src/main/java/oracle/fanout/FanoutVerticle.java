package oracle.fanout;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Addresses;
import oracle.leader.LeaderGate;
import oracle.leader.Term;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live 1-minute candles for subscribers in other processes, outbound only:
 *
 * <ul>
 *   <li>the clustered event bus ({@link ClusterBus}): while this instance leads, each candle it
 *       publishes locally is published on the cluster at the same address, {@code
 *       oracle.candle.1m.<symbol>} (the leader only, so a subscriber gets each update once);
 *   <li>the TCP event-bus bridge, for clients in any language (every instance serves it, as it
 *       serves the SockJS bridge): they may subscribe to candle addresses and nothing else, within
 *       {@link BridgeLimits}.
 * </ul>
 */
public final class FanoutVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FanoutVerticle.class);

  /** What a bridge client may receive: candles of any symbol. Nothing may be sent in. */
  static final String OUTBOUND = "oracle\\.candle\\.1m\\..+";

  private final List<String> symbols;
  private final FanoutSettings settings;
  private final Vertx cluster;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private LeaderGate gate;
  private Term term = Term.NONE;
  private TcpEventBusBridge bridge;
  private long forwarded;

  /**
   * @param cluster the clustered instance from {@link ClusterBus#join}, or null when {@code
   *     cluster.enabled} is off
   */
  public FanoutVerticle(List<String> symbols, FanoutSettings settings, Vertx cluster) {
    this.symbols = List.copyOf(symbols);
    this.settings = settings;
    this.cluster = cluster;
  }

  @Override
  public Future<?> start() {
    Future<?> clustered = Future.succeededFuture();
    if (cluster != null) {
      for (String symbol : symbols) {
        String address = Addresses.candle(symbol);
        consumers.add(
            vertx
                .eventBus()
                .<JsonObject>consumer(
                    address,
                    m -> {
                      if (!term.isCurrent()) return;
                      cluster.eventBus().publish(address, m.body());
                      forwarded++;
                    }));
      }
      clustered =
          LeaderGate.attach(vertx, t -> term = t, ended -> term = Term.NONE).map(g -> gate = g);
    }
    Future<?> tcp = Future.succeededFuture();
    if (settings.tcpBridgePort() > 0) {
      BridgeLimits limits =
          new BridgeLimits(
              settings.tcpMaxClients(), settings.tcpMaxPerClient(), settings.tcpMaxSubscriptions());
      bridge =
          TcpEventBusBridge.create(
              vertx,
              new BridgeOptions()
                  .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND)),
              new NetServerOptions().setIdleTimeout(60).setTcpKeepAlive(true),
              limits::handle);
      tcp =
          bridge
              .listen(settings.tcpBridgePort(), settings.tcpBridgeHost())
              .onSuccess(
                  b ->
                      log.info(
                          "TCP event-bus bridge on {}:{} (candles out, nothing in)",
                          settings.tcpBridgeHost(),
                          settings.tcpBridgePort()));
    }
    return Future.all(clustered, tcp);
  }

  /** Candles this instance published on the cluster (tests). */
  long forwarded() {
    return forwarded;
  }

  @Override
  public Future<?> stop() {
    if (gate != null) gate.close();
    consumers.forEach(MessageConsumer::unregister);
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
