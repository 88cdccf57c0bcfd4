package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart page and its assets come from the jar over real HTTP, with no external reference. */
class WebPageTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/api/v1/ping").handler(ctx -> ctx.end("pong"));
    WebPage.mount(router);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  @Test
  void rootServesThePageWithASameOriginPolicy() {
    HttpResponse<Buffer> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/html");
    assertThat(r.getHeader("Content-Security-Policy"))
        .contains("default-src 'self'")
        .contains("connect-src 'self'");
    String html = r.bodyAsString();
    assertThat(html)
        .contains("/ui/app.js")
        .contains("/ui/vendor/lightweight-charts.standalone.production.js")
        .contains("id=\"chart\"")
        .contains("id=\"symbol\"")
        .contains("id=\"resolution\"");
    assertThat(html)
        .as("no external resources")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain("//cdn");
  }

  @Test
  void assetsAndTheBundledChartLibraryAreServed() {
    HttpResponse<Buffer> js = get("/ui/app.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.getHeader("content-type")).contains("javascript");
    assertThat(js.bodyAsString())
        .contains("/api/v1/market/ohlcv")
        .contains("/api/v1/market/stream")
        .contains("window.__oracle");

    oracle.support.Requirements.require(
        getClass()
                .getClassLoader()
                .getResource("webroot/vendor/lightweight-charts.standalone.production.js")
            != null,
        "the chart library bundle was not built (npm was missing when the build ran); install npm and rebuild");
    HttpResponse<Buffer> lib = get("/ui/vendor/lightweight-charts.standalone.production.js");
    assertThat(lib.statusCode()).isEqualTo(200);
    assertThat(lib.bodyAsString())
        .contains("TradingView Lightweight Charts")
        .contains("window.LightweightCharts");

    assertThat(get("/ui/app.css").statusCode()).isEqualTo(200);
  }

  @Test
  void theIconIsServedAtItsOwnPathAndTheConventionalOne() {
    assertThat(get("/").bodyAsString()).contains("<link rel=\"icon\" href=\"/ui/favicon.svg\"");
    for (String path : new String[] {"/ui/favicon.svg", "/favicon.ico"}) {
      HttpResponse<Buffer> icon = get(path);
      assertThat(icon.statusCode()).as(path).isEqualTo(200);
      assertThat(icon.getHeader("content-type")).as(path).startsWith("image/svg+xml");
      assertThat(icon.getHeader("Content-Security-Policy")).as(path).contains("default-src 'self'");
      assertThat(icon.bodyAsString()).as(path).startsWith("<svg");
    }
  }

  @Test
  void otherPathsAreLeftToTheirRoutes() {
    assertThat(get("/api/v1/ping").bodyAsString()).isEqualTo("pong");
    assertThat(get("/ui/missing.js").statusCode()).isEqualTo(404);
    assertThat(get("/ui/../pom.xml").statusCode()).isIn(400, 404);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
  }
}
