package oracle.http.stream;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Addresses;
import oracle.http.ApiTestEnv;
import oracle.http.H1Env;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSE streams are bounded: per client (IPv6 by /64) and in total, 429 with the JSON error beyond; a
 * client that stops reading is disconnected and counted instead of buffered without bound; each
 * candle event says whether its minute is closed. Raw sockets, Redis DB 10, PostgreSQL h1_http.
 */
class StreamLimitsTest {
  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    JsonObject config =
        H1Env.config(H1Env.REDIS_DB)
            .put(
                "http",
                new JsonObject()
                    .put("port", 0)
                    .put("streams", new JsonObject().put("maxPerClient", 2).put("maxTotal", 3)))
            .put(
                "rateLimit",
                new JsonObject()
                    .put("requests", 1_000_000)
                    .put("trustedProxies", new JsonArray().add("127.0.0.1")));
    port = ApiTestEnv.deploy(vertx, config).actualPort();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  /**
   * One raw SSE connection as client {@code ip} (named through the trusted proxy's
   * X-Forwarded-For).
   */
  static final class Stream implements AutoCloseable {
    final Socket socket = new Socket();
    final StringBuilder seen = new StringBuilder();
    final int status;

    Stream(String ip, String symbol, int receiveBuffer) throws IOException {
      if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/market/stream?symbol="
                      + symbol
                      + " HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: "
                      + ip
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      if (receiveBuffer > 0) {
        status = 0; // a client that never reads
        return;
      }
      readUntil("\r\n\r\n");
      status = Integer.parseInt(seen.substring(9, 12));
      if (status == 200) readUntil(": subscribed");
    }

    void readUntil(String needle) throws IOException {
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      while (seen.indexOf(needle) < 0) {
        int n = in.read(buf);
        if (n < 0) throw new IOException("closed before " + needle + ": " + seen);
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void streamsAreCappedPerClientAndInTotal() throws Exception {
    List<Stream> open = new ArrayList<>();
    try {
      open.add(new Stream("10.0.0.1", "BTC/USDT", 0));
      open.add(new Stream("10.0.0.1", "ETH/USDT", 0));
      Stream third = new Stream("10.0.0.1", "SOL/USDT", 0);
      assertThat(third.status).isEqualTo(429);
      assertThat(third.seen.toString())
          .contains("\"error\":\"too_many_streams\"", "at most 2 open streams per client");
      third.close();

      open.add(new Stream("10.0.0.2", "BTC/USDT", 0));
      Stream overTotal = new Stream("10.0.0.3", "BTC/USDT", 0);
      assertThat(overTotal.status).isEqualTo(429);
      assertThat(overTotal.seen.toString()).contains("maximum of 3 open streams");
      overTotal.close();

      open.remove(0).close(); // a slot frees when a stream closes
      Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 2, Duration.ofSeconds(5));
      Stream later = new Stream("10.0.0.3", "BTC/USDT", 0);
      assertThat(later.status).isEqualTo(200);
      open.add(later);
    } finally {
      for (Stream s : open) s.close();
    }
    Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 0, Duration.ofSeconds(5));
  }

  @Test
  void anIpv6ClientIsOneClientAcrossItsSlash64() throws Exception {
    try (Stream a = new Stream("2001:db8:1:2::1", "BTC/USDT", 0);
        Stream b = new Stream("2001:db8:1:2:aaaa::9", "BTC/USDT", 0);
        Stream c = new Stream("2001:db8:1:2:ffff:ffff:ffff:ffff", "BTC/USDT", 0)) {
      assertThat(a.status).isEqualTo(200);
      assertThat(b.status).isEqualTo(200);
      assertThat(c.status).isEqualTo(429); // a third address of the same /64
    }
    Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 0, Duration.ofSeconds(5));
  }

  @Test
  void candleEventsSayWhetherTheirMinuteIsClosed() throws Exception {
    long minute = System.currentTimeMillis() / 60_000 * 60;
    try (Stream s = new Stream("10.0.0.9", "SOL/USDT", 0)) {
      vertx
          .eventBus()
          .publish(
              Addresses.candle("SOL/USDT"),
              new JsonObject()
                  .put("symbol", "SOL/USDT")
                  .put("time", minute - 60)
                  .put("close", 1.0));
      vertx
          .eventBus()
          .publish(
              Addresses.candle("SOL/USDT"),
              new JsonObject().put("symbol", "SOL/USDT").put("time", minute).put("close", 2.0));
      s.readUntil("\"close\":2.0,\"closed\":false}");
      assertThat(s.seen.toString())
          .contains("\"time\":" + (minute - 60) + ",\"close\":1.0,\"closed\":true}");
    }
    Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 0, Duration.ofSeconds(5));
  }

  @Test
  void aClientThatDoesNotReadIsDisconnected() throws Exception {
    double droppedBefore = ApiTestEnv.metrics().sseDropped().count();
    try (Stream idle = new Stream("10.0.0.20", "ETH/USDT", 4096)) {
      Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 1, Duration.ofSeconds(5));
      String padding = "x".repeat(16 * 1024);
      int published = 0;
      // Far more than the socket buffers hold: the write queue must fill, and
      // the stream be dropped.
      while (ApiTestEnv.metrics().sseDropped().count() == droppedBefore && published < 5_000) {
        for (int i = 0; i < 50; i++) {
          vertx
              .eventBus()
              .publish(
                  Addresses.candle("ETH/USDT"),
                  new JsonObject().put("time", 0).put("padding", padding));
        }
        published += 50;
        Thread.sleep(5);
      }
      System.out.println("slow reader dropped after " + published + " events of 16 KB");
      assertThat(ApiTestEnv.metrics().sseDropped().count()).isEqualTo(droppedBefore + 1);
      Poll.until(() -> ApiTestEnv.metrics().sseStreams().get() == 0, Duration.ofSeconds(5));
      // The server closed the connection: what it had buffered drains, then the stream ends.
      idle.socket.setSoTimeout(10_000);
      InputStream in = idle.socket.getInputStream();
      byte[] buf = new byte[65_536];
      long read = 0;
      try {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) read += n;
      } catch (java.net.SocketException reset) {
        // a reset is a close too
      }
      System.out.println("slow reader: " + read + " bytes were buffered when it was dropped");
      assertThat(read).isLessThan((long) published * padding.length());
    }
  }
}
