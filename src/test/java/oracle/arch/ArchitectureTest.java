package oracle.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Set;
import java.util.TreeSet;
import oracle.common.LuaScript;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the production code: the wiring stays a tree with {@code oracle.deploy} at
 * its root. Each rule fails the build naming the offending class and dependency.
 */
class ArchitectureTest {
  /**
   * Packages that hold a verticle (or assemble them); exchange adapters must not reach into them.
   */
  private static final String[] VERTICLE_PACKAGES = {
    "oracle.aggregation..",
    "oracle.backfill..",
    "oracle.deploy..",
    "oracle.dev..",
    "oracle.discovery..",
    "oracle.flush..",
    "oracle.http..",
    "oracle.leader..",
    "oracle.polling.."
  };

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("oracle");

  @Test
  void noCycleBetweenFeaturePackages() {
    slices().matching("oracle.(**)").should().beFreeOfCycles().check(PRODUCTION);
  }

  @Test
  void configAndCommonAreLeaves() {
    noClasses()
        .that()
        .resideInAnyPackage("oracle.config..", "oracle.common..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("oracle..")
                .and(not(resideInAnyPackage("oracle.config..", "oracle.common.."))))
        .check(PRODUCTION);
  }

  @Test
  void exchangeAdaptersDoNotKnowTheVerticles() {
    noClasses()
        .that()
        .resideInAPackage("oracle.exchange..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(VERTICLE_PACKAGES)
        .check(PRODUCTION);
  }

  /**
   * Each exchange's package: every package under {@code oracle.exchange} but the registry and the
   * stream types all venues share.
   */
  private static final String REGISTRY = "oracle.exchange.registry";

  private static final String STREAM_TYPES = "oracle.exchange.stream";

  private static Set<String> venuePackages() {
    Set<String> out = new TreeSet<>();
    for (JavaClass c : PRODUCTION) {
      String p = c.getPackageName();
      if (!p.startsWith("oracle.exchange.") || p.startsWith(REGISTRY) || p.startsWith(STREAM_TYPES))
        continue;
      out.add("oracle.exchange." + p.substring("oracle.exchange.".length()).split("\\.")[0]);
    }
    return out;
  }

  /**
   * An exchange's classes stay in its folder: only the registry ({@code Exchanges.ALL}) names a
   * venue; everything else (other venues, the shared {@code oracle.exchange}, the simulator, the
   * verticles) reaches it through its {@code ExchangeSpec}.
   */
  private static ArchRule venueStaysInItsFolder(String venue) {
    return noClasses()
        .that()
        .resideOutsideOfPackages(venue + "..", REGISTRY + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(venue + "..")
        .because("a venue is reached through its ExchangeSpec in Exchanges.ALL");
  }

  @Test
  void anExchangesClassesStayInItsFolder() {
    assertThat(venuePackages())
        .contains(
            "oracle.exchange.binance",
            "oracle.exchange.coinbase",
            "oracle.exchange.kraken",
            "oracle.exchange.okx",
            "oracle.exchange.bybit",
            "oracle.exchange.upbit",
            "oracle.exchange.uniswap");
    for (String venue : venuePackages()) venueStaysInItsFolder(venue).check(PRODUCTION);
  }

  /** A venue builds on the shared exchange and stream types, common and config only. */
  @Test
  void aVenueDependsOnlyOnTheSharedExchangeTypes() {
    for (String venue : venuePackages())
      noClasses()
          .that()
          .resideInAPackage(venue + "..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("oracle..")
                  .and(
                      not(
                          resideInAnyPackage(
                              venue + "..",
                              "oracle.exchange",
                              STREAM_TYPES + "..",
                              "oracle.common..",
                              "oracle.config.."))))
          .check(PRODUCTION);
  }

  @Test
  void theVenueRuleCatchesAClassNamingAVenue() {
    JavaClasses offender = new ClassFileImporter().importClasses(NamesAVenue.class);
    assertThat(venueStaysInItsFolder("oracle.exchange.binance").evaluate(offender).hasViolation())
        .isTrue();
  }

  /** What the venue rule must refuse: a class outside the registry naming Binance's adapter. */
  static final class NamesAVenue {
    static String name() {
      return oracle.exchange.binance.BinanceAdapter.SPEC.name();
    }
  }

  /**
   * The shared stream types are a leaf beside the venues: each venue's protocol depends on them,
   * never the other way round, and they know no verticle. They may use the exchange-wide value
   * types of {@code oracle.exchange} itself (a {@code Kline}), none of a venue's.
   */
  @Test
  void streamTypesDependOnlyOnCommonAndConfig() {
    noClasses()
        .that()
        .resideInAPackage("oracle.exchange.stream..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("oracle..")
                .and(
                    not(
                        resideInAnyPackage(
                            "oracle.exchange.stream..",
                            "oracle.exchange",
                            "oracle.config..",
                            "oracle.common.."))))
        .check(PRODUCTION);
  }

  /**
   * Only {@code oracle.hotstore} names the Redis candle keys and reads or writes the candle hash:
   * the rest of the code goes through its typed calls.
   */
  private static final ArchRule ONLY_THE_HOT_STORE_KNOWS_CANDLE_KEYS =
      noClasses()
          .that()
          .resideOutsideOfPackage("oracle.hotstore..")
          .should()
          .dependOnClassesThat(
              type(oracle.hotstore.CandleKeys.class).or(type(oracle.hotstore.CandleHash.class)))
          .because("oracle.hotstore owns the candle keys and hash layout");

  /**
   * Only the owners of Lua scripts load them: the hot store its four candle scripts, the leader
   * election its own, the rate limiter its one. A candle script loaded elsewhere would bypass the
   * hot store's encoding.
   */
  private static final ArchRule ONLY_SCRIPT_OWNERS_LOAD_SCRIPTS =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "oracle.hotstore..", "oracle.leader..", "oracle.http.ratelimit..")
          .should()
          .callMethod(LuaScript.class, "load", String.class)
          .because("oracle.hotstore loads the candle scripts");

  @Test
  void onlyTheHotStoreNamesCandleKeys() {
    ONLY_THE_HOT_STORE_KNOWS_CANDLE_KEYS.check(PRODUCTION);
  }

  @Test
  void onlyScriptOwnersLoadScripts() {
    ONLY_SCRIPT_OWNERS_LOAD_SCRIPTS.check(PRODUCTION);
  }

  @Test
  void theHotStoreRulesCatchACandleKeyOrScriptOutsideIt() {
    JavaClasses offender = new ClassFileImporter().importClasses(WritesCandlesItself.class);
    assertThat(ONLY_THE_HOT_STORE_KNOWS_CANDLE_KEYS.evaluate(offender).hasViolation()).isTrue();
    assertThat(ONLY_SCRIPT_OWNERS_LOAD_SCRIPTS.evaluate(offender).hasViolation()).isTrue();
  }

  /** What the hot-store rules must refuse. */
  static final class WritesCandlesItself {
    String key() {
      return oracle.hotstore.CandleKeys.candle("BTC/USDT", 60);
    }

    LuaScript script() {
      return LuaScript.load("update_candle");
    }
  }

  /**
   * The price answer has one encoder, {@code oracle.aggregation.PriceJson} (with {@code LazyJson},
   * the event-bus codec that carries its texts): the rules and the verticle work with values.
   */
  static final ArchRule AGGREGATION_KNOWS_NO_JSON =
      noClasses()
          .that()
          .resideInAPackage("oracle.aggregation..")
          .and(not(nameMatching("oracle\\.aggregation\\.(PriceJson|LazyJson)(\\$.*)?")))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx.core.json..", "com.fasterxml.jackson..")
          .because("PriceJson is the only encoder of the price answer");

  @Test
  void aggregationImportsNoJsonWriterButItsEncoder() {
    AGGREGATION_KNOWS_NO_JSON.check(PRODUCTION);
  }

  @Test
  void theJsonRuleCatchesAnotherEncoderInAggregation() {
    // the tests' reference encoder (oracle.aggregation.ReferencePriceJson) builds JsonObjects
    JavaClasses withTests = new ClassFileImporter().importPackages("oracle.aggregation");
    assertThat(AGGREGATION_KNOWS_NO_JSON.evaluate(withTests).hasViolation()).isTrue();
  }

  /**
   * Every verticle gets its settings from {@code oracle.deploy} through its constructor, validated
   * once; none reads (and re-validates) its deployment config.
   */
  private static final ArchRule NO_VERTICLE_READS_ITS_DEPLOYMENT_CONFIG =
      noClasses()
          .should()
          .callMethodWhere(
              target(name("config"))
                  .and(
                      target(
                          owner(
                              assignableTo(VerticleBase.class)
                                  .or(assignableTo(AbstractVerticle.class))))))
          .because("oracle.deploy hands each verticle its settings through its constructor");

  @Test
  void noVerticleReadsItsDeploymentConfig() {
    NO_VERTICLE_READS_ITS_DEPLOYMENT_CONFIG.check(PRODUCTION);
  }

  @Test
  void theConfigRuleCatchesAVerticleReadingItsConfig() {
    JavaClasses offender = new ClassFileImporter().importClasses(ReadsItsConfig.class);
    assertThat(NO_VERTICLE_READS_ITS_DEPLOYMENT_CONFIG.evaluate(offender).hasViolation()).isTrue();
  }

  /** What the config rule must refuse. */
  static final class ReadsItsConfig extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture(config().getString("symbols"));
    }
  }

  /**
   * Meters are made in one catalogue, {@code oracle.common.OracleMetrics}: names, tags, buckets and
   * descriptions are written down once, and no class adds a series (a per-symbol tag, a 69-bucket
   * histogram) behind its back. Nobody else builds a meter, registers one in a registry or binds a
   * binder.
   */
  static final ArchRule ONLY_THE_CATALOGUE_MAKES_METERS =
      noClasses()
          .that(not(type(oracle.common.OracleMetrics.class)))
          .and(not(nameMatching("oracle\\.common\\.OracleMetrics\\$.*")))
          .should()
          .callMethodWhere(
              target(name("builder"))
                  .and(target(owner(resideInAPackage("io.micrometer.core.instrument..")))))
          .orShould()
          .callMethodWhere(
              target(owner(assignableTo(io.micrometer.core.instrument.MeterRegistry.class))))
          .orShould()
          .callMethodWhere(
              target(name("bindTo"))
                  .and(
                      target(
                          owner(
                              assignableTo(
                                  io.micrometer.core.instrument.binder.MeterBinder.class)))))
          .orShould()
          .callConstructorWhere(
              target(owner(assignableTo(io.micrometer.core.instrument.MeterRegistry.class))))
          .because("oracle.common.OracleMetrics is the one catalogue of meters");

  @Test
  void onlyTheCatalogueMakesMeters() {
    ONLY_THE_CATALOGUE_MAKES_METERS.check(PRODUCTION);
  }

  @Test
  void theMetricsRuleCatchesAMeterMadeElsewhere() {
    for (Class<?> offender :
        java.util.List.of(BuildsItsOwnCounter.class, AsksTheRegistry.class, MakesARegistry.class)) {
      assertThat(
              ONLY_THE_CATALOGUE_MAKES_METERS
                  .evaluate(new ClassFileImporter().importClasses(offender))
                  .hasViolation())
          .as(offender.getSimpleName())
          .isTrue();
    }
  }

  /** What the metrics rule must refuse. */
  static final class BuildsItsOwnCounter {
    io.micrometer.core.instrument.Counter counter(
        io.micrometer.core.instrument.MeterRegistry registry) {
      return io.micrometer.core.instrument.Counter.builder("oracle.mine").register(registry);
    }
  }

  static final class AsksTheRegistry {
    io.micrometer.core.instrument.Timer timer(oracle.common.OracleMetrics metrics) {
      return metrics.registry().timer("oracle.mine");
    }
  }

  static final class MakesARegistry {
    Object registry() {
      return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    }
  }
}
