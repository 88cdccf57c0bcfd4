package oracle.aggregation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import oracle.common.LeaderGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns each tick's quotes into one robust price per symbol and updates the Redis candles (issue 3). */
public final class AggregationVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AggregationVerticle.class);
  private volatile long fencingToken = -1;

  @Override
  public Future<?> start() {
    return LeaderGate.attach(vertx, token -> {
      fencingToken = token;
      log.info("leader work enabled (token {})", token);
    }, () -> {
      fencingToken = -1;
      log.info("leader work disabled");
    });
  }
}
