package oracle.streaming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import oracle.common.OracleMetrics;
import oracle.exchange.Kline;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.SourceMinute;
import oracle.exchange.stream.StreamConnection;
import oracle.exchange.stream.Trade;
import oracle.exchange.stream.TradeMinutes;
import oracle.exchange.stream.TradeStreamProtocol;

/**
 * One source's trades over its public WebSocket stream: the connections its protocol asks for
 * ({@link StreamLink}), trades counted once ({@link GapDetector}: replays and duplicates dropped,
 * gaps noticed) into per-market 1-minute candles by exchange time ({@link TradeMinutes}, late
 * trades accepted within {@code flush.graceMs}), the source's health, and per (market, minute)
 * whether the stream carried it whole ({@link IncompleteMinutes}).
 *
 * <p>Healthy = every connection open, subscribed, not silent for {@code streamSilenceMs} and not
 * lagging (its trades arrive less than {@code streamSilenceMs} after their exchange time). While
 * healthy, the source's quotes come from {@link #quotes}; otherwise the poller reads its REST
 * ticker. Runs on the context that started it (the polling verticle's).
 */
public final class TradeFeed {
  private static final long MINUTE_MS = 60_000;
  private static final long DAY_MS = 86_400_000;

  private final Vertx vertx;
  private final TradeStreamProtocol protocol;
  private final SourceSettings source;
  private final StreamMarkets markets;
  private final long graceMs;
  private final LongSupplier clock;
  private final Backoff backoff;
  private final TradeMinutes minutes;
  private final GapDetector gaps = new GapDetector();
  private final IncompleteMinutes incomplete = new IncompleteMinutes();
  private final Map<String, Long> lastTradeMs = new HashMap<>();
  private final Map<String, double[]> quoteVolume = new HashMap<>();
  private final List<StreamLink> links = new ArrayList<>();
  private final Counter messages;
  private final Counter reconnects;
  private final Counter gapCount;
  private final Timer delay;
  private long startedMs = -1;

  /** Reconnect delays: the first step and the largest. */
  public record Backoff(Duration base, Duration max) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  public TradeFeed(
      Vertx vertx,
      TradeStreamProtocol protocol,
      SourceSettings source,
      StreamMarkets markets,
      long graceMs,
      OracleMetrics metrics,
      LongSupplier clock,
      Backoff backoff) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.source = source;
    this.markets = markets;
    this.graceMs = graceMs;
    this.clock = clock;
    this.backoff = backoff;
    this.minutes = new TradeMinutes(graceMs);
    this.messages = metrics.streamMessages(source.name());
    this.reconnects = metrics.streamReconnects(source.name());
    this.gapCount = metrics.streamGaps(source.name());
    this.delay = metrics.streamTradeDelay();
  }

  public String name() {
    return source.name();
  }

  /**
   * Opens the connections. The minute it starts in is incomplete (the stream missed its start: a
   * new leader, a restart).
   */
  public void start() {
    if (startedMs >= 0) return;
    startedMs = clock.getAsLong();
    incomplete.mark(markets.ids(), startedMs);
    for (List<String> ids : protocol.connections(markets.ids())) {
      StreamLink link = new StreamLink(this, ids);
      link.open(new StreamConnection(vertx, settings(ids), link));
      links.add(link);
    }
  }

  public void stop() {
    links.forEach(StreamLink::close);
    links.clear();
  }

  /**
   * The keep-alive goes out at least twice per {@code streamSilenceMs}, whatever the venue's own
   * period (OKX 25 s, Upbit 60 s): its answer is what a connection whose markets are all quiet
   * hears, so it must come before the silence check takes the connection for dead. A venue without
   * a keep-alive message gets WebSocket ping frames instead (Binance: no heartbeat channel).
   */
  private StreamConnection.Settings settings(List<String> ids) {
    KeepAlive k = protocol.keepAlive();
    boolean text = k.kind() == KeepAlive.Kind.TEXT;
    long half = Math.max(50, source.streamSilenceMs() / 2);
    long every = text ? Math.min(k.intervalMs(), half) : half;
    return new StreamConnection.Settings(
        URI.create(source.wsUrl()),
        protocol.subscribeMessages(ids),
        Duration.ofMillis(protocol.minSendIntervalMs()),
        text ? k::text : null,
        Duration.ofMillis(every),
        Duration.ofMillis(source.streamSilenceMs()),
        backoff.base(),
        backoff.max(),
        Duration.ofMillis(Math.max(2_000, source.timeoutMs() * 4)),
        !text);
  }

  /** Whether the source's quotes come from its trades now. */
  public boolean healthy() {
    long now = clock.getAsLong();
    if (links.isEmpty()) return false;
    for (StreamLink l : links) if (!l.healthy(now)) return false;
    return true;
  }

  /** {@code connected} while healthy, else why not. */
  public StreamStatus status() {
    if (links.isEmpty()) return StreamStatus.OFF;
    if (healthy()) return StreamStatus.CONNECTED;
    for (StreamLink l : links)
      if (l.state() != StreamConnection.State.CONNECTED) return StreamStatus.RECONNECTING;
    return StreamStatus.POLLING;
  }

  /**
   * Called every tick: the markets of a connection that is not healthy now lose this minute (the
   * source is polled meanwhile, so trades may be missing).
   */
  public void checkHealth() {
    long now = clock.getAsLong();
    for (StreamLink l : links) if (!l.healthy(now)) incomplete.mark(l.ids(), now);
  }

  // ---- what a connection reports

  void received() {
    messages.increment();
  }

  void connectionChanged(StreamLink link, StreamConnection.State state) {
    if (state == StreamConnection.State.RECONNECTING) reconnects.increment();
    incomplete.mark(link.ids(), clock.getAsLong());
  }

  /** One trade of {@code link}: counted unless a replay or a duplicate; a gap loses its span. */
  void trade(StreamLink link, Trade t) {
    long now = clock.getAsLong();
    GapDetector.Verdict v = gaps.check(t);
    if (v.gap()) {
      gapCount.increment();
      Long last = lastTradeMs.get(t.market());
      incomplete.markSpan(t.market(), last == null ? t.timeMs() : last, t.timeMs());
    }
    if (!v.count()) return;
    link.lagging(now - t.timeMs() > source.streamSilenceMs());
    if (minutes.add(t.market(), t.timeMs(), t.price(), t.size(), now)) {
      lastTradeMs.merge(t.market(), t.timeMs(), Math::max);
      quoteVolume.computeIfAbsent(t.market(), k -> new double[1])[0] += t.price() * t.size();
    }
  }

  // ---- what a tick reads

  /**
   * The source's quotes for the tick at {@code tickMs}, from its trades: the VWAP of the trades
   * since the previous tick, else the last trade, dated by its exchange time; {@code minuteVolume}
   * and {@code minuteTrades} are the current minute's (0 when none traded yet). A symbol that has
   * not traded since the stream started keeps its last REST quote, if any ({@code polled}).
   *
   * <p>Liquidity (the VWAP weight): the last 24 h quote volume the REST ticker reported, kept from
   * the polls before the stream was healthy (and refreshed by the poller now and then), so a
   * streamed source weighs the same as a polled one (every other source's weight is 24 h turnover,
   * and the weight cap compares them). Without one, the quote volume of the trades seen since the
   * stream started, scaled to 24 h: a rough figure until the ticker is read, never zero for a
   * source that trades.
   */
  public List<Quote> quotes(long tickMs, Function<String, Quote> polled) {
    long minute = Math.floorDiv(tickMs, MINUTE_MS) * MINUTE_MS;
    Map<String, TradeMinutes.Tick> ticks = new HashMap<>();
    List<Quote> out = new ArrayList<>();
    for (String symbol : markets.symbols()) {
      String id = markets.idOf(symbol);
      TradeMinutes.Tick t = ticks.computeIfAbsent(id, minutes::tick);
      Quote rest = polled.apply(symbol);
      if (t == null) {
        if (rest != null) out.add(rest);
        continue;
      }
      if (t.trades() > 0)
        delay.record(Math.max(0, tickMs - t.lastTradeMs()), TimeUnit.MILLISECONDS);
      TradeMinutes.Minute m = minutes.minute(id, minute);
      double price = Double.isNaN(t.vwapSinceLastTick()) ? t.lastPrice() : t.vwapSinceLastTick();
      double liquidity =
          rest != null && rest.liquidity() > 0 && Double.isFinite(rest.liquidity())
              ? rest.liquidity()
              : trailingDayVolume(id, tickMs);
      out.add(
          new Quote(
              source.name(),
              symbol,
              markets.quoteOf(symbol),
              price,
              Double.NaN,
              Double.NaN,
              t.lastTradeMs(),
              liquidity,
              m == null ? 0 : m.volume(),
              null,
              Quote.Via.STREAM,
              m == null ? 0 : m.trades()));
    }
    return out;
  }

  /** The symbols whose market has not traded since the feed started (their price is REST's). */
  public List<String> untraded() {
    List<String> out = new ArrayList<>();
    for (String symbol : markets.symbols())
      if (!lastTradeMs.containsKey(markets.idOf(symbol))) out.add(symbol);
    return out;
  }

  private double trailingDayVolume(String id, long nowMs) {
    double[] v = quoteVolume.get(id);
    if (v == null) return 0;
    long window = Math.max(MINUTE_MS, nowMs - startedMs);
    return v[0] * DAY_MS / window;
  }

  /**
   * What {@link #close} hands over.
   *
   * @param minutes the minutes that had trades, one per symbol
   * @param unheard minute start (ms) → the symbols whose minute the stream did not carry whole and
   *     that had no trade in it (no minute above): their trades may all be missing
   */
  public record Closed(List<SourceMinute> minutes, Map<Long, List<String>> unheard) {}

  /**
   * The minutes no trade can join any more (ended more than {@code flush.graceMs} ago), one per
   * symbol, each complete only when the stream carried its whole minute.
   */
  public List<SourceMinute> closed(long nowMs) {
    return close(nowMs).minutes();
  }

  /**
   * As {@link #closed}, plus the closed minutes' unheard symbols: those the stream did not carry
   * whole (down, silent, lagging, a gap, the feed starting) and that brought no trade, so the
   * close-out repairs them from REST as well (without them, a minute the stream missed entirely
   * would keep its provisional candle of polled prices).
   */
  public Closed close(long nowMs) {
    List<SourceMinute> out = new ArrayList<>();
    // the same bound as TradeMinutes.closed: a minute is closed once it ended graceMs ago
    Map<Long, Set<String>> holes = incomplete.takeBefore(nowMs - MINUTE_MS - graceMs);
    for (TradeMinutes.Minute m : minutes.closed(nowMs)) {
      Set<String> hole = holes.get(m.minuteMs());
      boolean complete = hole == null || !hole.remove(m.market());
      for (String symbol : markets.symbolsOf(m.market())) {
        Kline k =
            new Kline(
                    source.name(),
                    symbol,
                    m.minuteMs() / 1000,
                    m.open(),
                    m.high(),
                    m.low(),
                    m.close(),
                    m.volume(),
                    markets.quoteOf(symbol))
                .withTrades(m.trades());
        out.add(new SourceMinute(k, m.trades(), complete));
      }
    }
    Map<Long, List<String>> unheard = new HashMap<>();
    holes.forEach(
        (minuteMs, ids) -> {
          List<String> symbols = new ArrayList<>();
          for (String id : ids) symbols.addAll(markets.symbolsOf(id));
          if (!symbols.isEmpty()) unheard.put(minuteMs, symbols);
        });
    return new Closed(out, unheard);
  }

  long silenceMs() {
    return source.streamSilenceMs();
  }

  LongSupplier clock() {
    return clock;
  }

  TradeStreamProtocol protocol() {
    return protocol;
  }
}
