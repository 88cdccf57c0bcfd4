package oracle.dev;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oracle.deploy.AppSettings;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.polling.IngestionSettings;

/**
 * Asks every configured exchange once for its quotes, through the oracle's own adapters. Succeeds
 * with the name of the first that answers with a quote; fails when none does within the time limit
 * (offline, firewalled), as soon as all have failed.
 */
final class ExchangeProbe {
  static final long LIMIT_MS = 10_000;

  private ExchangeProbe() {}

  /**
   * Why the probe gave up, in the time it actually took: every exchange may refuse at once
   * (offline), long before the time limit.
   */
  static String noAnswer(String reason, long elapsedMs) {
    return elapsedMs >= LIMIT_MS
        ? "no exchange answered within " + LIMIT_MS / 1000 + " s (" + reason + ")"
        : String.format(
            java.util.Locale.ROOT,
            "every exchange failed after %.1f s (%s)",
            elapsedMs / 1000.0,
            reason);
  }

  static Future<String> anyAnswers(Vertx vertx, JsonObject configJson, long limitMs) {
    IngestionSettings ingestion = AppSettings.from(configJson).ingestion();
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) limitMs)
                .setIdleTimeout((int) limitMs)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    List<Future<String>> answers = new ArrayList<>();
    for (SourceSettings source : ingestion.sources()) {
      List<String> symbols = ingestion.symbolsFor(source.name());
      answers.add(
          ExchangeAdapters.create(client, source, symbols)
              .fetchQuotes(symbols)
              .timeout(limitMs, TimeUnit.MILLISECONDS)
              .compose(
                  quotes ->
                      quotes.isEmpty()
                          ? Future.failedFuture(source.name() + " returned no quote")
                          : Future.succeededFuture(source.name())));
    }
    if (answers.isEmpty()) return Future.failedFuture("no exchange configured");
    return Future.any(answers)
        .map(any -> answers.stream().filter(Future::succeeded).findFirst().orElseThrow().result())
        .onComplete(ar -> client.close());
  }
}
