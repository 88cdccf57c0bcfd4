package oracle.dev;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import oracle.common.Await;
import oracle.common.PgFactory;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.StartFailure;
import oracle.deploy.VertxFactory;
import oracle.storage.Migrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar token-price-oracle.jar dev [--simulate] [--fresh] [--port N] [--host ADDRESS]
 * [--config FILE]}: the whole oracle in one process with embedded Redis and PostgreSQL (data under
 * {@code ./data/dev}), real exchanges when one answers within 10 s, the built-in market simulator
 * otherwise (or with {@code --simulate}). SIGTERM/Ctrl-C stops the oracle (final flush of the open
 * minute, leadership released), then the stores.
 */
public final class DevMode {
  private static final Logger log = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  public static void run(DevOptions options) {
    JsonObject base;
    try {
      base = DevConfig.withHttp(DevConfig.base(System.getenv(), options.config()), options);
      AppSettings.from(base); // a bad key stops here, naming it, before anything starts
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    options.config().ifPresent(f -> log.info("dev mode: configuration merged from {}", f));
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
    // The only shutdown hook (the embedded stores have none of their own: the JVM runs hooks
    // concurrently), so the order holds: the oracle stops (final flush, leadership released, HTTP
    // drained), then the stores.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down: saving the open minute, then stopping the stores");
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
    AppSettings config = null;
    try {
      Market market = Await.result(market(vertx, base, options.simulate()), 30);
      EmbeddedStores s = stores.get(120, TimeUnit.SECONDS);
      JsonObject json = DevConfig.withStores(market.config(), s);
      config = AppSettings.from(json);
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)
        ctx.putProperty("instanceId", config.instanceId());
      // The schema first: the election reads the fencing table the migrations create.
      Await.result(migrate(vertx, config), 60);
      OracleDeployment deployment = new OracleDeployment(vertx, config);
      Await.result(deployment.start(), 60);
      deployed.set(deployment);
      log.info(DevBanner.text(config, market.description(), options));
    } catch (ConfigException e) {
      fail(e.getMessage());
    } catch (Exception e) {
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      if (config != null && StartFailure.portInUse(cause)) {
        fail(StartFailure.message(cause, config.httpHost(), config.httpPort()));
        return;
      }
      log.error("dev mode start-up failed", cause);
      fail("dev mode start-up failed: " + cause.getMessage());
    }
  }

  /** The configuration the prices come from, and how the banner says it. */
  private record Market(JsonObject config, String description) {}

  /**
   * The configuration with real exchanges, or with the simulator when forced or when none answers.
   */
  private static Future<Market> market(Vertx vertx, JsonObject base, boolean simulate) {
    long t0 = System.nanoTime();
    Future<Market> real =
        simulate
            ? Future.failedFuture("--simulate")
            : ExchangeProbe.anyAnswers(vertx, base, ExchangeProbe.LIMIT_MS)
                .map(name -> new Market(base, "real exchanges (" + name + " answered first)"))
                .onFailure(
                    err ->
                        log.warn(
                            "dev mode: {}; switching to the built-in market simulator: prices are SIMULATED",
                            ExchangeProbe.noAnswer(
                                err.getMessage(), (System.nanoTime() - t0) / 1_000_000)));
    return real.recover(
        err ->
            MarketSimulator.start(vertx, AppSettings.from(base).symbols())
                .map(
                    sim ->
                        new Market(
                            DevConfig.withSimulator(base, sim.sourcesConfig()),
                            simulate
                                ? "SIMULATED by the built-in market simulator (--simulate)"
                                : "SIMULATED by the built-in market simulator (no exchange answered)")));
  }

  private static Future<Void> migrate(Vertx vertx, AppSettings config) {
    Pool pool = PgFactory.pool(vertx, config.stores().pgUrl(), 1);
    return new Migrator(pool, config.storage())
        .migrate()
        .<Void>mapEmpty()
        .eventually(() -> pool.close());
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
