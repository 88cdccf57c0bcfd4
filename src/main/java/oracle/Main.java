package oracle;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import oracle.config.ConfigException;
import oracle.config.ConfigLoader;
import oracle.config.Redact;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.VertxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the configuration, deploys one verticle per concern, and undeploys them on SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** How often vertx-config re-reads the configuration file. */
  private static final long CONFIG_SCAN_MS = 1_000;

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("dev")) { // one-process dev mode with embedded stores
      oracle.dev.DevMode.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Vertx vertx = VertxFactory.withPrometheusMetrics();
    AppSettings config;
    ConfigLoader<AppSettings> loader;
    try {
      loader = AppSettings.loader(vertx, System.getenv(), CONFIG_SCAN_MS);
      config = await(loader.load(), 30);
    } catch (ConfigException e) {
      fail(vertx, Redact.secrets(e.getMessage()));
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.putProperty("instanceId", config.instanceId());
    }
    OracleDeployment deployment = new OracleDeployment(vertx, config);
    try {
      await(deployment.start(), 60);
    } catch (RuntimeException e) {
      log.error("start-up failed", e);
      fail(vertx, Redact.secrets("start-up failed: " + e.getMessage()));
      return;
    }
    log.info("oracle {} started on port {}", config.instanceId(), config.httpPort());
    // Live reconfiguration: a valid change redeploys the verticles it concerns; an invalid one is
    // reported and the running configuration stays.
    loader.onChange(
        next ->
            deployment
                .applyConfig(next)
                .onFailure(
                    err ->
                        log.error(
                            "configuration change not applied: {}",
                            Redact.secrets(err.getMessage()))),
        err -> log.error("configuration change rejected: {}", Redact.secrets(err.getMessage())));

    // SIGTERM/SIGINT: verticles stop in reverse order (leadership released), then pools close.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  try {
                    await(deployment.stop(), 20);
                    await(vertx.close(), 10);
                  } catch (RuntimeException e) {
                    System.err.println("unclean shutdown: " + e.getMessage());
                  }
                },
                "oracle-shutdown"));
  }

  private static void fail(Vertx vertx, String message) {
    System.err.println(message);
    vertx.close();
    System.exit(2);
  }

  private static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new RuntimeException(cause);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
