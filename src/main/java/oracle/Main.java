package oracle;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oracle.common.Await;
import oracle.config.ConfigException;
import oracle.config.ConfigLoader;
import oracle.config.Redact;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.StartFailure;
import oracle.deploy.VertxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the command line ({@link Cli}), then runs dev mode or the server: reads the configuration,
 * deploys one verticle per concern, and undeploys them on SIGTERM. No logger is made before the log
 * format is chosen ({@link LogFormat}).
 */
public final class Main {
  /** How often vertx-config re-reads the configuration file. */
  private static final long CONFIG_SCAN_MS = 1_000;

  private Main() {}

  public static void main(String[] args) {
    Charset cs = Charset.defaultCharset();
    Cli.Parsed parsed =
        Cli.parse(
            List.of(args),
            new PrintWriter(System.out, true, cs),
            new PrintWriter(System.err, true, cs));
    if (parsed instanceof Cli.Exit exit) {
      System.exit(exit.code());
      return;
    }
    try {
      LogFormat.apply(LogFormat.choose(System.getenv(), parsed instanceof Cli.Dev));
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(Cli.USAGE_ERROR);
      return;
    }
    if (parsed instanceof Cli.Dev dev) {
      oracle.dev.DevMode.run(dev.options());
    } else if (parsed instanceof Cli.Production server) {
      Map<String, String> env = new HashMap<>(System.getenv());
      server.port().ifPresent(p -> env.put("ORACLE_HTTP_PORT", Integer.toString(p)));
      serve(env);
    }
  }

  private static void serve(Map<String, String> env) {
    Logger log = LoggerFactory.getLogger(Main.class);
    Vertx vertx = VertxFactory.withPrometheusMetrics();
    AppSettings config;
    ConfigLoader<AppSettings> loader;
    try {
      loader = AppSettings.loader(vertx, env, CONFIG_SCAN_MS);
      config = Await.result(loader.load(), 30);
    } catch (ConfigException e) {
      fail(vertx, Redact.secrets(e.getMessage()));
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.putProperty("instanceId", config.instanceId());
    }
    OracleDeployment deployment = new OracleDeployment(vertx, config);
    try {
      Await.result(deployment.start(), 60);
    } catch (RuntimeException e) {
      if (!StartFailure.portInUse(e)) log.error("start-up failed", e);
      fail(vertx, Redact.secrets(StartFailure.message(e, config.httpHost(), config.httpPort())));
      return;
    }
    log.info(
        "oracle {} started on port {}, configuration: {}",
        config.instanceId(),
        config.httpPort(),
        loader.source());
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
                    Await.result(deployment.stop(), 20);
                    Await.result(vertx.close(), 10);
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
}
