package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void theResultOrTheFailureOnAPlainThread() {
    assertThat(Await.result(Future.succeededFuture("up"), 1)).isEqualTo("up");
    IllegalStateException runtime = new IllegalStateException("bad config");
    assertThatThrownBy(() -> Await.result(Future.failedFuture(runtime), 1)).isSameAs(runtime);
    assertThatThrownBy(() -> Await.result(Future.failedFuture(new IOException("disk")), 1))
        .isInstanceOf(RuntimeException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aFutureThatNeverCompletesTimesOut() {
    Promise<String> never = Promise.promise();
    assertThatThrownBy(() -> Await.result(never.future(), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 s");
  }
}
