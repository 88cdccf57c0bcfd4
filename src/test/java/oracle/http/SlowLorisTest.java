package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow-loris clients (many sockets, each trickling a request line byte by byte, never finishing)
 * hold at most {@code http.maxConnections}, and each is closed {@code http.idleTimeoutMs} after it
 * opened although it keeps sending.
 */
class SlowLorisTest {
  static final int CAP = 20;
  static final int SOCKETS = 40;
  static final long IDLE_MS = 1_500;

  @Test
  void slowClientsHoldFewerThanTheCapAndAreClosedAfterTheIdleTimeout() throws Exception {
    Vertx vertx = ApiTestEnv.vertx();
    List<Socket> sockets = new ArrayList<>();
    try {
      JsonObject config =
          ApiTestEnv.config()
              .put(
                  "http",
                  new JsonObject()
                      .put("port", 0)
                      .put("idleTimeoutMs", IDLE_MS)
                      .put("maxConnections", CAP));
      int port = ApiTestEnv.deploy(vertx, config).actualPort();
      byte[] line =
          "GET /api/v1/health HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < SOCKETS; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(1);
        sockets.add(s);
      }
      long start = System.currentTimeMillis();
      int maxHeld = 0;
      // One byte per socket every 100 ms (well inside the idle timeout: only the request deadline
      // can close them), for three idle timeouts.
      for (int b = 0; System.currentTimeMillis() - start < 3 * IDLE_MS; b++) {
        int held = 0;
        for (Socket s : sockets) {
          if (s.isClosed()) continue;
          if (closedByServer(s, line[b % line.length])) s.close();
          else held++;
        }
        long elapsed = System.currentTimeMillis() - start;
        if (elapsed > 300) maxHeld = Math.max(maxHeld, held); // the cap's closes have landed
        if (elapsed > IDLE_MS + 1_000) {
          assertThat(held).as("open %d ms after connecting", elapsed).isZero();
        }
        Thread.sleep(100);
      }
      assertThat(maxHeld).isPositive().isLessThanOrEqualTo(CAP);
      assertThat(sockets).allMatch(Socket::isClosed);
      String scrape =
          RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
              .body();
      assertThat(scrape).contains("oracle_http_connections_refused_total");
    } finally {
      for (Socket s : sockets) s.close();
      await(vertx.close());
    }
  }

  /** Sends one more byte; true when the server has closed the connection. */
  private static boolean closedByServer(Socket s, byte next) {
    try {
      InputStream in = s.getInputStream();
      try {
        if (in.read() == -1) return true;
      } catch (SocketTimeoutException stillOpen) {
        // nothing to read: the server still holds it
      }
      OutputStream out = s.getOutputStream();
      out.write(next);
      out.flush();
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
