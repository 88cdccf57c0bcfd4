package oracle.leader;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import oracle.common.Addresses;

/**
 * Connects a leader-only verticle to the leader signals and hands it one {@link Term} per
 * leadership: {@code onElected(term)} on {@code oracle.leader.elected}, {@code onRevoked(term)}
 * (the term just ended) on {@code oracle.leader.revoked}. At attach time it asks the leader
 * verticle for the current state, so a verticle deployed or redeployed while this instance already
 * leads starts at once. A repeated signal for the running term is ignored; a new token ends the
 * previous term first, and any {@code revoked} ends the running term whatever token it names (the
 * leader verticle publishes one too when, not leading, it hears of a newer token). Handlers run on
 * the caller's context; {@link #close()} ends the term when the verticle stops.
 */
public final class LeaderGate {
  private final Consumer<Term> onElected;
  private final Consumer<Term> onRevoked;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private Term term = Term.NONE;

  private LeaderGate(Consumer<Term> onElected, Consumer<Term> onRevoked) {
    this.onElected = onElected;
    this.onRevoked = onRevoked;
  }

  /** Attaches; the future completes once the current state is known (or no leader answers). */
  public static Future<LeaderGate> attach(
      Vertx vertx, Consumer<Term> onElected, Consumer<Term> onRevoked) {
    LeaderGate gate = new LeaderGate(onElected, onRevoked);
    gate.consumers.add(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.LEADER_ELECTED, m -> gate.elected(m.body().getLong("fencingToken"))));
    gate.consumers.add(
        vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_REVOKED, m -> gate.revoked()));
    return new LeaderClient(vertx)
        .status()
        .map(
            s -> {
              if (s.getBoolean("leader", false)) gate.elected(s.getLong("fencingToken"));
              return gate;
            })
        // No leader verticle deployed (or not answering): not leader until a signal says otherwise.
        .recover(err -> Future.succeededFuture(gate));
  }

  /** The running term, or {@link Term#NONE}. */
  public Term term() {
    return term;
  }

  private void elected(Long token) {
    if (token == null) return;
    if (term.isCurrent() && term.token() == token) return;
    if (term.isCurrent()) revoked();
    term = Term.begin(token);
    onElected.accept(term);
  }

  private void revoked() {
    if (!term.isCurrent()) return;
    Term ended = term;
    ended.end();
    onRevoked.accept(ended);
  }

  /** Stops listening and ends the running term without calling back (the verticle is stopping). */
  public Term close() {
    consumers.forEach(MessageConsumer::unregister);
    Term last = term;
    last.end();
    return last;
  }
}
