package oracle.dev;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import oracle.common.Await;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.VertxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar token-price-oracle.jar dev [--simulate] [--fresh]}: the whole oracle in one
 * process with embedded Redis and PostgreSQL (data under {@code ./data/dev}), real exchanges when
 * one answers within 10 s, the built-in market simulator otherwise (or with {@code --simulate}).
 * SIGTERM/Ctrl-C stops the oracle, then the stores.
 */
public final class DevMode {
  private static final Logger log = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  public static void main(String[] args) {
    DevOptions options;
    JsonObject base;
    try {
      options = DevOptions.parse(List.of(args));
      base = DevConfig.base(System.getenv());
      AppSettings.from(base); // a bad key stops here, naming it, before anything starts
    } catch (IllegalArgumentException | ConfigException e) { // a bad argument, or a bad key named
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.fresh()) wipe(options.dataDir());
    // initdb and the postmaster log every line at INFO
    // through zonky; their warnings are enough here.
    if (LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger zonky) {
      zonky.setLevel(ch.qos.logback.classic.Level.WARN);
    }

    // The stores start (seconds: initdb on a first run) while the exchanges are probed.
    CompletableFuture<EmbeddedStores> stores =
        CompletableFuture.supplyAsync(() -> EmbeddedStores.start(options.dataDir()));
    Vertx vertx = VertxFactory.withPrometheusMetrics();
    AtomicReference<OracleDeployment> deployed = new AtomicReference<>();
    // One hook, so the order holds: the oracle stops
    // (leadership released, HTTP drained), then the stores.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  try {
                    if (deployed.get() != null) Await.result(deployed.get().stop(), 20);
                    Await.result(vertx.close(), 10);
                  } catch (RuntimeException e) {
                    System.err.println("unclean shutdown: " + e.getMessage());
                  } finally {
                    stores.thenAccept(EmbeddedStores::close).exceptionally(err -> null).join();
                  }
                },
                "oracle-dev-shutdown"));
    try {
      JsonObject json = Await.result(market(vertx, base, options.simulate()), 30);
      EmbeddedStores s = stores.get(120, TimeUnit.SECONDS);
      json = DevConfig.withStores(json, s);
      AppSettings config = AppSettings.from(json);
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)
        ctx.putProperty("instanceId", config.instanceId());
      OracleDeployment deployment = new OracleDeployment(vertx, config);
      Await.result(deployment.start(), 60);
      deployed.set(deployment);
      log.info(
          "dev mode: oracle {} on http://localhost:{}/ ({} prices; Redis {}, PostgreSQL {}, data in {})",
          config.instanceId(),
          config.httpPort(),
          json.getBoolean(DevConfig.SIMULATED, false) ? "simulated" : "real exchange",
          s.redisUrl(0),
          s.pgUrl("postgres"),
          options.dataDir());
    } catch (ConfigException e) {
      fail(e.getMessage());
    } catch (Exception e) {
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      log.error("dev mode start-up failed", cause);
      fail("dev mode start-up failed: " + cause.getMessage());
    }
  }

  /**
   * The configuration with real exchanges, or with the simulator when forced or when none answers.
   */
  private static Future<JsonObject> market(Vertx vertx, JsonObject base, boolean simulate) {
    Future<Void> real =
        simulate
            ? Future.failedFuture("--simulate")
            : ExchangeProbe.anyAnswers(vertx, base, ExchangeProbe.LIMIT_MS)
                .onSuccess(name -> log.info("dev mode: real exchanges ({} answered)", name))
                .onFailure(
                    err ->
                        log.warn(
                            "dev mode: no exchange answered within {} s ({}); switching to the built-in market simulator: prices are SIMULATED",
                            ExchangeProbe.LIMIT_MS / 1000,
                            err.getMessage()))
                .mapEmpty();
    return real.map(v -> base)
        .recover(
            err -> {
              if (simulate)
                log.info(
                    "dev mode: --simulate: prices are SIMULATED by the built-in market simulator");
              return MarketSimulator.start(vertx, AppSettings.from(base).symbols())
                  .map(sim -> DevConfig.withSimulator(base, sim.sourcesConfig()));
            });
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      log.info("dev mode: --fresh: removed {}", dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot wipe " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Exits; the shutdown hook closes Vert.x and the stores that started. */
  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
