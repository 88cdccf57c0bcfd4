package oracle.backfill;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import oracle.common.LeaderGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds and fills missing minutes from exchange klines while this instance leads (issue 4). */
public final class BackfillVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BackfillVerticle.class);
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
