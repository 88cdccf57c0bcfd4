package oracle.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
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
    slices().matching("oracle.(*)..").should().beFreeOfCycles().check(PRODUCTION);
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

  /** Each exchange's package: every package under {@code oracle.exchange} but the registry. */
  private static final String REGISTRY = "oracle.exchange.registry";

  private static Set<String> venuePackages() {
    Set<String> out = new TreeSet<>();
    for (JavaClass c : PRODUCTION) {
      String p = c.getPackageName();
      if (!p.startsWith("oracle.exchange.") || p.startsWith(REGISTRY)) continue;
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

  /** A venue builds on the shared exchange types, common and config only. */
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
}
