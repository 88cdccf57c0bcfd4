package oracle.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import oracle.common.OffLoop;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.Instrument;
import oracle.exchange.InstrumentEndpoint;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.Exchanges;

/**
 * Reads every enabled exchange's instrument endpoint and keeps, per exchange, its last answer: an
 * exchange that fails (down, slow, malformed) keeps counting with what it listed before, so the
 * symbol list never shrinks because an exchange did not answer; a market is delisted only when its
 * exchange answered without it. Remembers every symbol this process followed, so a delisted one
 * stays readable.
 */
public final class MarketDiscovery {
  /**
   * Answers above this size are parsed on the worker pool (Binance's exchangeInfo is megabytes).
   */
  static final int OFF_LOOP_PARSE_BYTES = 64 * 1024;

  /** The outcome of one discovery round. */
  public record Round(MarketListing listing, List<String> retired, Map<String, String> failed) {
    public boolean complete() {
      return failed.isEmpty();
    }
  }

  private final WebClient client;
  private final Map<String, List<Instrument>> lastAnswer = new ConcurrentHashMap<>();
  private final Set<String> followed = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

  public MarketDiscovery(Vertx vertx) {
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout(5_000)
                .setUserAgent("token-price-oracle")
                .setDecompressionSupported(true));
  }

  /**
   * Whether this source's spec has an instrument endpoint (Uniswap has none: it reads configured
   * pools).
   */
  public static boolean discoverable(String source) {
    return endpoint(source).isPresent();
  }

  private static Optional<InstrumentEndpoint> endpoint(String source) {
    return Exchanges.find(source).flatMap(ExchangeSpec::instruments);
  }

  /**
   * One round over the enabled sources that have instrument endpoints. Never fails: failures are
   * per exchange.
   */
  public Future<Round> refresh(List<SourceSettings> enabled, DiscoverySettings settings) {
    List<SourceSettings> sources = enabled.stream().filter(s -> discoverable(s.name())).toList();
    List<Future<List<Instrument>>> calls = new ArrayList<>();
    for (SourceSettings s : sources) calls.add(fetch(s, settings.timeoutMs()));
    return Future.join(calls)
        .transform(
            ignored -> {
              Map<String, String> failed = new TreeMap<>();
              Map<String, List<Instrument>> known = new TreeMap<>();
              for (int i = 0; i < sources.size(); i++) {
                String name = sources.get(i).name();
                Future<List<Instrument>> call = calls.get(i);
                if (call.succeeded()) lastAnswer.put(name, call.result());
                else failed.put(name, String.valueOf(call.cause().getMessage()));
                List<Instrument> last = lastAnswer.get(name);
                known.put(name, last != null ? last : List.of());
              }
              MarketListing listing = MarketListing.compute(known, settings);
              followed.addAll(listing.symbols());
              TreeSet<String> retired;
              synchronized (followed) {
                retired = new TreeSet<>(followed);
              }
              listing.symbols().forEach(retired::remove);
              return Future.succeededFuture(
                  new Round(listing, List.copyOf(retired), Map.copyOf(failed)));
            });
  }

  private Future<List<Instrument>> fetch(SourceSettings source, long timeoutMs) {
    InstrumentEndpoint endpoint = endpoint(source.name()).orElseThrow();
    String base =
        source.url().endsWith("/")
            ? source.url().substring(0, source.url().length() - 1)
            : source.url();
    HttpRequest<Buffer> req = client.getAbs(base + endpoint.path()).timeout(timeoutMs);
    List<String> query = endpoint.query();
    for (int i = 0; i + 1 < query.size(); i += 2) req.addQueryParam(query.get(i), query.get(i + 1));
    return req.send()
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(
            resp -> {
              if (resp.statusCode() / 100 != 2 || resp.body() == null) {
                return Future.failedFuture(
                    new ExchangeHttpException(
                        source.name(), resp.statusCode(), resp.statusMessage()));
              }
              Buffer body = resp.body();
              return OffLoop.compute(
                  body.length(), OFF_LOOP_PARSE_BYTES, () -> endpoint.parser().apply(body));
            });
  }

  public void close() {
    client.close();
  }
}
