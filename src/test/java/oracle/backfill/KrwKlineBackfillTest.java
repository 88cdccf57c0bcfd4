package oracle.backfill;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import oracle.aggregation.Aggregator;
import oracle.aggregation.QuorumRule;
import oracle.common.Candle;
import oracle.common.PgFactory;
import oracle.config.ConfigReader;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Kline;
import oracle.exchange.KlineJson;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.leader.Term;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Fault;
import oracle.storage.CandleRepository;
import oracle.storage.Migrator;
import oracle.storage.Resolution;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12, item 1, through the fake exchange servers (Binance, OKX and Upbit kline endpoints in
 * their real formats) into plain PostgreSQL (database h2_backfill): Upbit's KRW klines are
 * converted with the USDT/KRW kline of the same minute, also where they are a minute's only klines;
 * a KRW kline without a rate is left out; the quorum applies to backfill as to live prices. Fakes
 * on ports 16620-16626.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KrwKlineBackfillTest {
  private static final String BTC = "BTC/USDT";
  private static final AtomicLong TOKENS = new AtomicLong(50_000);
  private Vertx vertx;
  private FakeExchangeServer fake;
  private Pool pool;
  private CandleRepository repo;
  private WebClient client;
  private long base;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx, 16_620));
    client = WebClient.create(vertx);
    pool = PgFactory.pool(vertx, TestEnv.pgUrl("h2_backfill"), 2);
    await(pool.query("DROP SCHEMA IF EXISTS public CASCADE").execute());
    await(pool.query("CREATE SCHEMA public").execute());
    await(new Migrator(pool, Optional.of(StorageFlavor.PLAIN)).migrate());
    repo = new CandleRepository(pool, StorageFlavor.PLAIN);
    base = Resolution.D1.bucketStart(System.currentTimeMillis() / 1000) - 86_400;
    // minutes 0-3: Binance, OKX and Upbit; 4-6: Upbit alone; 7: Upbit alone without a USDT/KRW
    // kline; 8: nothing
    List<Kline> binance = new ArrayList<>();
    List<Kline> okx = new ArrayList<>();
    List<Kline> upbit = new ArrayList<>();
    List<Kline> rate = new ArrayList<>();
    for (int m = 0; m < 8; m++) {
      long t = base + m * 60L;
      double krw = 1_380 + m; // KRW per USDT, moving
      double usdt = 60_000 + 10 * m;
      if (m < 4) {
        binance.add(new Kline("binance", BTC, t, usdt, usdt + 5, usdt - 5, usdt, 2));
        okx.add(new Kline("okx", BTC, t, usdt, usdt + 5, usdt - 5, usdt + 1, 1));
      }
      upbit.add(
          new Kline(
              "upbit",
              BTC,
              t,
              usdt * krw,
              (usdt + 5) * krw,
              (usdt - 5) * krw,
              (usdt + 2) * krw,
              0.5));
      if (m < 7) rate.add(new Kline("upbit", "USDT/KRW", t, krw, krw, krw, krw, 1_000_000));
    }
    fake.klines("binance", BTC, binance)
        .klines("okx", BTC, okx)
        .klines("upbit", BTC, upbit)
        .klines("upbit", "USDT/KRW", rate);
  }

  @AfterAll
  void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  @BeforeEach
  void empty() {
    await(
        pool.query("TRUNCATE ohlcv_1m, ohlcv_5m, ohlcv_15m, ohlcv_1h, ohlcv_4h, ohlcv_1d")
            .execute());
  }

  private KlineSource source(String name) {
    JsonObject sources = fake.sourcesConfig();
    sources.getJsonObject(name).put("timeoutMs", 2_000);
    ExchangeAdapter adapter =
        ExchangeAdapters.create(
            client,
            Exchanges.settings(name, new ConfigReader(sources).section(name)),
            List.of(BTC, "USDT/KRW"));
    return new KlineSource() {
      @Override
      public String name() {
        return adapter.name();
      }

      @Override
      public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
        return adapter.fetchKlines(symbol, fromSec, toSec);
      }
    };
  }

  private List<Candle> stored() {
    return await(repo.read(BTC, "1m", base, base + 9 * 60, 100));
  }

  private Backfiller backfiller(QuorumRule quorum) {
    return new Backfiller(
        repo,
        List.of(source("binance"), source("okx"), source("upbit")),
        new Aggregator(10_000, 0.0005, quorum),
        Map.of("USDT/KRW", "upbit"));
  }

  private BackfillJob job() {
    return new BackfillJob(BTC, base, base + 8 * 60, "admin");
  }

  @Test
  void krwKlinesAreConvertedWithTheSameMinutesRateAlsoWhenTheyAreAMinutesOnlyKlines() {
    BackfillJob job =
        await(
            backfiller(new QuorumRule(2, 0.01, Map.of(BTC, 1)))
                .run(job(), Term.begin(TOKENS.incrementAndGet())));
    assertThat(job.state()).isEqualTo(BackfillJob.State.DONE);
    List<Candle> rows = stored();
    // minute 7 (no USDT/KRW kline) and 8 (no kline) stay missing: never guessed
    assertThat(rows)
        .extracting(Candle::time)
        .containsExactly(
            base, base + 60, base + 120, base + 180, base + 240, base + 300, base + 360);
    for (Candle c : rows) {
      int m = (int) ((c.time() - base) / 60);
      double usdt = 60_000 + 10 * m;
      // every price near the USDT price, none ~1,400× too high
      assertThat(c.close()).as("minute %d", m).isBetween(usdt - 1, usdt + 3);
      assertThat(c.high()).isLessThan(usdt + 6);
      if (m >= 4) {
        assertThat(c.close()).as("Upbit alone, converted").isCloseTo(usdt + 2, within(1e-6));
        assertThat(c.open()).isCloseTo(usdt, within(1e-6));
        assertThat(c.volume()).isEqualTo(0.5);
      } else {
        assertThat(c.volume()).isEqualTo(3.5);
      }
    }
  }

  @Test
  void withTheDefaultQuorumAMinuteWithOneSourceIsNotStored() {
    await(
        backfiller(new QuorumRule(2, 0.01, Map.of()))
            .run(job(), Term.begin(TOKENS.incrementAndGet())));
    assertThat(stored())
        .extracting(Candle::time)
        .containsExactly(base, base + 60, base + 120, base + 180);
  }

  @Test
  void whenTheOtherExchangesFailOnlyConvertedUpbitPricesAreStored() {
    fake.fault("binance", Fault.status(500)).fault("okx", Fault.status(500));
    try {
      await(
          backfiller(new QuorumRule(2, 0.01, Map.of(BTC, 1)))
              .run(job(), Term.begin(TOKENS.incrementAndGet())));
    } finally {
      fake.clearFaults();
    }
    // the case: 83,000,000 "USDT" before; now each minute is Upbit's KRW price over that
    // minute's rate
    assertThat(stored())
        .hasSize(7)
        .allSatisfy(c -> assertThat(c.close()).isBetween(59_000.0, 61_000.0));
  }

  @Test
  void klinesCarryTheirCurrencyOverTheEventBus() {
    Kline k = new Kline("upbit", BTC, base, 1, 2, 0.5, 1.5, 3, "KRW");
    assertThat(KlineJson.fromJson(KlineJson.toJson(k))).isEqualTo(k);
    // and their trade count (Binance, Kraken): a repaired or backfilled minute keeps it
    Kline counted = new Kline("binance", BTC, base, 1, 2, 0.5, 1.5, 3, "USDT", 42);
    assertThat(KlineJson.fromJson(KlineJson.toJson(counted))).isEqualTo(counted);
    assertThat(KlineJson.fromJson(KlineJson.toJson(k)).trades()).isEqualTo(-1);
    List<Kline> fetched = await(source("upbit").fetchKlines(BTC, base, base + 60));
    assertThat(fetched).extracting(Kline::quoteCurrency).containsOnly("KRW");
    assertThat(await(source("binance").fetchKlines(BTC, base, base + 60)))
        .extracting(Kline::quoteCurrency)
        .containsOnly("USDT");
  }
}
