package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import oracle.http.common.ApiErrors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A client that hangs up while its answer is being made is no server failure: no ERROR log. */
class ClientHangUpTest {
  @Test
  void aFailureAfterTheClientHungUpIsNotLoggedAsAnError() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ApiErrors.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Void> failed = new CompletableFuture<>();
      Router router = Router.router(vertx);
      // As a slow read answered after the hang-up: the handler's write fails on the closed
      // connection and the failure reaches the router's failure handler.
      router
          .get("/slow")
          .handler(
              ctx ->
                  ctx.response()
                      .closeHandler(
                          v -> {
                            ctx.fail(new IllegalStateException("Response is closed"));
                            failed.complete(null);
                          }));
      ApiErrors.install(router);
      HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
      try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
        OutputStream out = s.getOutputStream();
        out.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(200);
      }
      failed.get(5, TimeUnit.SECONDS);
      Thread.sleep(200);
      assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    } finally {
      logger.detachAppender(logs);
      await(vertx.close());
    }
  }
}
