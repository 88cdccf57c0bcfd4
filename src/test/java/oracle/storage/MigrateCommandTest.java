package oracle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrateCommandTest {
  @Test
  void rollbackStepsDefaultToOneAndMustBePositive() {
    assertThat(MigrateCommand.steps(new String[] {"rollback"})).isEqualTo(1);
    assertThat(MigrateCommand.steps(new String[] {"rollback", "3"})).isEqualTo(3);
    assertThatThrownBy(() -> MigrateCommand.steps(new String[] {"rollback", "abc"}))
        .hasMessage("rollback steps: expected a positive integer, got 'abc'");
    assertThatThrownBy(() -> MigrateCommand.steps(new String[] {"rollback", "0"}))
        .hasMessage("rollback steps: expected a positive integer, got '0'");
  }
}
