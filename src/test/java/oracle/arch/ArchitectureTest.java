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

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
