package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-client and total caps both bridges enforce. */
class ClientSlotsTest {
  private final ClientSlots slots = new ClientSlots();

  @Test
  void aClientBeyondItsCapIsRefusedAndOthersStillGetIn() {
    assertThat(slots.take("a", 2, 10)).isTrue();
    assertThat(slots.take("a", 2, 10)).isTrue();
    assertThat(slots.take("a", 2, 10)).isFalse();
    assertThat(slots.take("b", 2, 10)).isTrue();
    assertThat(slots.open()).isEqualTo(3);
    slots.release("a");
    assertThat(slots.take("a", 2, 10)).as("a released slot is free again").isTrue();
  }

  @Test
  void theTotalCapHoldsAcrossClientsAndARefusalTakesNothing() {
    assertThat(slots.take("a", 5, 2)).isTrue();
    assertThat(slots.take("b", 5, 2)).isTrue();
    assertThat(slots.take("c", 5, 2)).isFalse();
    assertThat(slots.open()).isEqualTo(2);
    slots.release("b");
    assertThat(slots.take("c", 5, 2)).isTrue();
    slots.release("a");
    slots.release("c");
    assertThat(slots.open()).isZero();
    assertThat(slots.take("a", 1, 1)).as("nothing left claimed").isTrue();
  }
}
