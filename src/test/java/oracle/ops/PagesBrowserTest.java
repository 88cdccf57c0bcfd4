package oracle.ops;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oracle.http.ApiTestEnv;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /docs} page and the chart page's simulated-prices banner in headless Chromium (driven
 * by {@code web/test/page-check.mjs}), against a real HTTP verticle on Redis DB 15 and database
 * h3_pages: Swagger UI, served from the jar, renders every operation of the OpenAPI document
 * without a request leaving the origin; with {@code simulated} set (dev mode's simulator) the chart
 * page shows its banner.
 */
class PagesBrowserTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = ApiTestEnv.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void docsRendersEveryOperationFromTheJar() throws Exception {
    int port = deploy(false);
    JsonObject page = check(port, "/docs", ".opblock-summary-path", "docs-page.png");
    JsonObject document =
        new JsonObject(
            new String(
                getClass()
                    .getClassLoader()
                    .getResourceAsStream("openapi/openapi.json")
                    .readAllBytes()));
    int operations =
        document.getJsonObject("paths").stream()
            .mapToInt(p -> ((JsonObject) p.getValue()).size())
            .sum();
    System.out.printf(
        "/docs rendered %d operations of %d: %s%n",
        page.getInteger("count"), operations, page.getJsonArray("texts"));
    assertThat(page.getInteger("count")).as("operations rendered").isEqualTo(operations);
    assertThat(page.getJsonArray("texts").encode())
        .contains("/api/v1/market/ohlcv")
        .contains("/api/v1/health");
  }

  @Test
  void theChartPageSaysPricesAreSimulated() throws Exception {
    int port = deploy(true);
    JsonObject page = check(port, "/", "#simulated", "chart-page-simulated.png");
    System.out.println("banner: " + page.getJsonArray("texts"));
    assertThat(page.getJsonArray("texts").getString(0)).contains("Simulated prices");
  }

  private int deploy(boolean simulated) {
    // The chart page reads history, a price and health: give it a real schema and one price.
    io.vertx.sqlclient.Pool pg = oracle.common.PgFactory.pool(vertx, TestEnv.pgUrl("h3_pages"), 1);
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    await(
        new oracle.storage.Migrator(pg, java.util.Optional.of(oracle.storage.StorageFlavor.PLAIN))
            .migrate());
    await(pg.close());
    TestEnv.flushRedis(vertx, 15);
    io.vertx.redis.client.Redis redis =
        io.vertx.redis.client.Redis.createClient(vertx, TestEnv.redisUrl(15));
    for (String symbol : ApiTestEnv.SYMBOLS) {
      await(
          redis.send(
              io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SET)
                  .arg(oracle.common.RedisKeys.price(symbol))
                  .arg(
                      new JsonObject()
                          .put("symbol", symbol)
                          .put("price", 100.5)
                          .put("timestamp", System.currentTimeMillis())
                          .put("method", "median")
                          .put(
                              "sourcesUsed",
                              new JsonArray()
                                  .add(
                                      new JsonObject()
                                          .put("exchange", "binance")
                                          .put("price", 100.5)))
                          .put("sourcesDropped", new JsonArray())
                          .encode())));
    }
    redis.close();
    JsonObject config =
        TestEnv.baseConfig(15, "h3_pages")
            .put("symbols", new JsonArray(ApiTestEnv.SYMBOLS))
            .put("exchanges", new JsonArray().add("binance"))
            .put("rateLimit", new JsonObject().put("requests", 1_000_000));
    if (simulated) config.put("simulated", true);
    return ApiTestEnv.deploy(vertx, config).actualPort();
  }

  private JsonObject check(int port, String path, String selector, String screenshot)
      throws Exception {
    Path chromium =
        Tools.require("chromium", ChartPageBrowserTest.CHROMIUM_INSTALL, "/usr/bin/chromium");
    Path node =
        Tools.require(
            "node", "apt-get install -y --no-install-recommends nodejs npm", "/usr/bin/node");
    oracle.support.Requirements.require(
        Files.exists(Tools.root().resolve("web/node_modules/playwright-core/package.json")),
        "web/node_modules is missing: the build's npm ci step installs it (needs npm)");
    ProcessBuilder pb =
        new ProcessBuilder(
                node.toString(),
                "web/test/page-check.mjs",
                "http://127.0.0.1:" + port + path,
                selector,
                "target/" + screenshot)
            .directory(Tools.root().toFile())
            .redirectError(Tools.root().resolve("target/page-check-node.log").toFile());
    pb.environment().put("CHROMIUM", chromium.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    String last = List.of(out.split("\n")).get(out.split("\n").length - 1);
    JsonObject result = new JsonObject(last);
    assertThat(result.getString("error")).as(path + ": " + last).isNull();
    assertThat(result.getJsonArray("pageErrors")).as(path + " page errors").isEmpty();
    assertThat(result.getJsonArray("consoleErrors")).as(path + " console errors").isEmpty();
    assertThat(result.getJsonArray("external")).as(path + " requests leaving the origin").isEmpty();
    return result;
  }
}
