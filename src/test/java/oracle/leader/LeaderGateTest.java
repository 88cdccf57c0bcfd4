package oracle.leader;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.common.Addresses;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One {@link Term} per leadership, from the leader signals on a real event bus. */
class LeaderGateTest {
  private Vertx vertx;
  private final List<Term> elected = new CopyOnWriteArrayList<>();
  private final List<Term> revoked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private LeaderGate attach() {
    return await(LeaderGate.attach(vertx, elected::add, revoked::add));
  }

  private void signal(String address, Long token) {
    vertx.eventBus().publish(address, new JsonObject().put("fencingToken", token));
  }

  @Test
  void withoutALeaderVerticleItIsNotLeading() {
    LeaderGate gate = attach();
    assertThat(gate.term()).isSameAs(Term.NONE);
    assertThat(gate.term().isCurrent()).isFalse();
    assertThat(elected).isEmpty();
  }

  @Test
  void attachingWhileLeadingStartsATermAtOnce() {
    vertx
        .eventBus()
        .consumer(
            Addresses.LEADER_STATUS,
            m -> m.reply(new JsonObject().put("leader", true).put("fencingToken", 7L)));
    LeaderGate gate = attach();
    assertThat(elected).hasSize(1);
    assertThat(gate.term().token()).isEqualTo(7);
    assertThat(gate.term().isCurrent()).isTrue();
  }

  @Test
  void aTermHoldsUntilRevokedAndARepeatedSignalIsIgnored() {
    LeaderGate gate = attach();
    signal(Addresses.LEADER_ELECTED, 3L);
    Poll.until(() -> elected.size() == 1, java.time.Duration.ofSeconds(5));
    Term first = elected.get(0);
    signal(Addresses.LEADER_ELECTED, 3L); // the same term announced again
    signal(Addresses.LEADER_REVOKED, null);
    Poll.until(() -> revoked.size() == 1, java.time.Duration.ofSeconds(5));

    assertThat(elected).containsExactly(first);
    assertThat(revoked).containsExactly(first);
    assertThat(first.isCurrent()).isFalse();
    assertThat(gate.term().isCurrent()).isFalse();
  }

  @Test
  void aNewTokenEndsThePreviousTermFirst() {
    attach();
    signal(Addresses.LEADER_ELECTED, 3L);
    Poll.until(() -> elected.size() == 1, java.time.Duration.ofSeconds(5));
    signal(Addresses.LEADER_ELECTED, 4L); // revocation missed: a newer term was elected
    Poll.until(() -> elected.size() == 2, java.time.Duration.ofSeconds(5));

    assertThat(elected.get(0).isCurrent()).isFalse();
    assertThat(revoked).containsExactly(elected.get(0));
    assertThat(elected.get(1).token()).isEqualTo(4);
    assertThat(elected.get(1).isCurrent()).isTrue();
  }

  @Test
  void closingEndsTheTermAndStopsListening() {
    LeaderGate gate = attach();
    signal(Addresses.LEADER_ELECTED, 5L);
    Poll.until(() -> elected.size() == 1, java.time.Duration.ofSeconds(5));
    Term last = gate.close();

    assertThat(last.token()).isEqualTo(5);
    assertThat(last.isCurrent()).isFalse();
    assertThat(revoked).as("no callback: the verticle is stopping").isEmpty();
    signal(Addresses.LEADER_ELECTED, 6L);
    await(vertx.timer(200));
    assertThat(elected).hasSize(1);
  }

  @Test
  void aSignalWithoutTokenStartsNothingAndARevocationWithoutTermCallsNothing() {
    LeaderGate gate = attach();
    signal(Addresses.LEADER_ELECTED, null);
    signal(Addresses.LEADER_REVOKED, 2L);
    await(vertx.timer(200));
    assertThat(elected).isEmpty();
    assertThat(revoked).isEmpty();
    assertThat(gate.term().isCurrent()).isFalse();
  }

  @Test
  void aTermSaysWhetherItEnded() {
    Term t = Term.begin(4);
    assertThat(t).hasToString("term 4");
    t.end();
    assertThat(t).hasToString("term 4 (ended)");
  }

  @Test
  void aHeartbeatAboveHalfTheLeaseIsAConfigErrorNamingTheKey() {
    assertThatThrownBy(
            () ->
                LeaderSettings.from(
                    new ConfigReader(
                            new JsonObject()
                                .put(
                                    "leader",
                                    new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 1_001)))
                        .section("leader")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("leader.heartbeatMs");
  }
}
