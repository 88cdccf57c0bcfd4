package oracle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartFailureTest {
  @Test
  void aBusyPortIsNamedWithHowToChooseAnother() {
    String m =
        StartFailure.message(
            new RuntimeException(new BindException("Address already in use")), "127.0.0.1", 8080);
    assertThat(m)
        .isEqualTo(
            "port 8080 is already in use on 127.0.0.1 (another program, or another oracle, listens"
                + " there): choose another with --port (e.g. --port 8081) or ORACLE_HTTP_PORT");
    assertThat(StartFailure.message(new BindException("x"), "0.0.0.0", 65_535))
        .contains("--port 65534");
  }

  @Test
  void anotherCauseIsReportedAsIs() {
    assertThat(StartFailure.message(new IllegalStateException("redis down"), "h", 1))
        .isEqualTo("start-up failed: redis down");
    assertThat(StartFailure.portInUse(new IllegalStateException((String) null))).isFalse();
  }

  /** What Vert.x really fails with when the port is taken (NIO or the native transport). */
  @Test
  void vertxBindFailureIsRecognised() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Throwable cause =
          vertx
              .createHttpServer()
              .requestHandler(r -> r.response().end())
              .listen(busy.getLocalPort(), "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .handle((s, err) -> err)
              .get(10, TimeUnit.SECONDS);
      assertThat(cause).as("the listen failed").isNotNull();
      assertThat(StartFailure.portInUse(cause)).as(cause.toString()).isTrue();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
