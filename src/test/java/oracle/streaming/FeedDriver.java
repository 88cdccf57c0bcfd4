package oracle.streaming;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.LongSupplier;
import oracle.common.OracleMetrics;
import oracle.config.ConfigReader;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.stream.SourceMinute;

/**
 * A {@link TradeFeed} with one {@link StreamLink} and no socket, for benchmarks: frames go through
 * exactly what a connection's frames go through (the venue's parser, the gap check, the minute
 * candles, the feed's bookkeeping), and ticks read the feed's quotes as the poller does.
 */
public final class FeedDriver {
  private final TradeFeed feed;
  private final StreamLink link;
  private final StreamMarkets markets;

  /**
   * @param venue a venue with a trade stream
   * @param symbols canonical symbols (each venue's conventional market)
   * @param clock the feed's clock (the trades' exchange times should follow it)
   */
  public FeedDriver(String venue, List<String> symbols, LongSupplier clock) {
    var protocol = Exchanges.stream(venue).orElseThrow();
    SourceSettings source =
        Exchanges.settings(
            venue,
            new ConfigReader(new JsonObject().put(venue, new JsonObject().put("stream", true)))
                .section(venue));
    markets = new StreamMarkets(protocol, source.marketMap(symbols), symbols);
    feed =
        new TradeFeed(
            null,
            protocol,
            source,
            markets,
            3_000,
            OracleMetrics.of(new SimpleMeterRegistry()),
            clock,
            TradeFeed.Backoff.DEFAULT);
    link = new StreamLink(feed, markets.ids());
  }

  /** The stream's market id of {@code symbol} (what its frames name). */
  public String marketId(String symbol) {
    return markets.idOf(symbol);
  }

  /** One frame as the connection hands it over (Upbit's are binary, the others text). */
  public void frame(Buffer frame, boolean binary) {
    if (binary) link.onBinary(frame);
    else link.onText(frame.toString());
  }

  /** One tick's quotes (no REST quote to fall back on). */
  public List<Quote> tick(long tickMs) {
    return feed.quotes(tickMs, s -> null);
  }

  /** The minutes handed to the close-out. */
  public List<SourceMinute> closed(long nowMs) {
    return feed.closed(nowMs);
  }
}
