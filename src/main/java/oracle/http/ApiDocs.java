package oracle.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API contract: {@code GET /api/v1/openapi.json} serves {@code openapi/openapi.json} from the
 * jar (the one document the conformance tests check every route against), and {@code GET /docs}
 * renders it with Swagger UI, whose npm bundle the Maven build copies into {@code
 * webroot/docs/vendor/}.
 */
public final class ApiDocs {
  public static final String DOCUMENT = "openapi/openapi.json";
  public static final String PATH = "/api/v1/openapi.json";

  private ApiDocs() {}

  public static void mount(Router router) {
    Buffer document = Buffer.buffer(read(DOCUMENT));
    Buffer page = Buffer.buffer(read("webroot/docs/index.html"));
    router
        .get(PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/json")
                    .putHeader("cache-control", "max-age=300")
                    .end(document));
    StaticHandler files = StaticPages.files("webroot/docs");
    Handler<RoutingContext> headers = StaticPages.securityHeaders();
    // The page itself at /docs (no redirect to /docs/); its assets under /docs/.
    router
        .get("/docs")
        .handler(headers)
        .handler(
            ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router.get("/docs/*").handler(headers).handler(files);
  }

  private static byte[] read(String resource) {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
