package oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import oracle.dev.DevOptions;
import org.junit.jupiter.api.Test;

/** The command line as parsed: nothing starts, the outcome and what was printed are checked. */
class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Cli.Parsed parse(String... args) {
    return Cli.parse(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void noArgumentRunsTheServerFromTheEnvironment() {
    assertThat(parse()).isEqualTo(new Cli.Production(Optional.empty()));
    assertThat(out.toString() + err).isEmpty();
  }

  @Test
  void portForTheServer() {
    assertThat(parse("--port", "9090")).isEqualTo(new Cli.Production(Optional.of(9090)));
    assertThat(parse("--port=0")).isEqualTo(new Cli.Production(Optional.of(0)));
  }

  /** Before, --help started the production server against 127.0.0.1:6379/5432. */
  @Test
  void helpOnTheJarPrintsUsageAndStartsNothing() {
    assertThat(parse("--help")).isEqualTo(new Cli.Exit(0));
    assertThat(out.toString())
        .contains("Usage: java -jar token-price-oracle.jar")
        .contains("--port=PORT")
        .contains("dev")
        .contains("ORACLE_REDIS_URL");
    assertThat(parse("-h")).isEqualTo(new Cli.Exit(0));
  }

  @Test
  void helpOnDevListsItsFlags() {
    assertThat(parse("dev", "--help")).isEqualTo(new Cli.Exit(0));
    assertThat(out.toString())
        .contains("Usage: java -jar token-price-oracle.jar dev")
        .contains("--simulate")
        .contains("--fresh")
        .contains("--port=PORT")
        .contains("--host=ADDRESS")
        .contains("default: 127.0.0.1")
        .contains("--config=FILE");
  }

  @Test
  void devFlags() {
    Cli.Parsed p =
        parse(
            "dev",
            "--simulate",
            "--fresh",
            "--port",
            "9001",
            "--host",
            "0.0.0.0",
            "--config",
            "x.json");
    assertThat(p).isInstanceOf(Cli.Dev.class);
    DevOptions o = ((Cli.Dev) p).options();
    assertThat(o.simulate()).isTrue();
    assertThat(o.fresh()).isTrue();
    assertThat(o.port()).contains(9001);
    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.config()).contains(Path.of("x.json"));
    assertThat(o.dataDir()).isEqualTo(Path.of("data", "dev").toAbsolutePath());
  }

  @Test
  void devDefaultsBindLoopbackAndReadNoFile() {
    DevOptions o = ((Cli.Dev) parse("dev")).options();
    assertThat(o.simulate()).isFalse();
    assertThat(o.fresh()).isFalse();
    assertThat(o.port()).isEmpty();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.config()).isEmpty();
  }

  @Test
  void anUnknownFlagIsRefusedWithTheUsageAndStatus2() {
    assertThat(parse("--simulate")).isEqualTo(new Cli.Exit(2));
    assertThat(err.toString())
        .contains("Unknown option: '--simulate'")
        .contains("Usage: java -jar token-price-oracle.jar");

    StringWriter devErr = new StringWriter();
    Cli.Parsed p =
        Cli.parse(
            List.of("dev", "--simualte"),
            new PrintWriter(out, true),
            new PrintWriter(devErr, true));
    assertThat(p).isEqualTo(new Cli.Exit(Cli.USAGE_ERROR));
    assertThat(devErr.toString())
        .contains("Unknown option: '--simualte'")
        .contains("Usage: java -jar token-price-oracle.jar dev");
  }

  @Test
  void aStrayWordOrABadPortIsRefused() {
    assertThat(parse("serve")).isEqualTo(new Cli.Exit(2));
    assertThat(parse("--port", "abc")).isEqualTo(new Cli.Exit(2));
    assertThat(err.toString()).contains("--port").contains("abc");
    assertThat(parse("dev", "--port", "70000")).isEqualTo(new Cli.Exit(2));
    assertThat(err.toString()).contains("--port: expected an integer in [0, 65535], got '70000'");
    assertThat(parse("--port", "-1")).isEqualTo(new Cli.Exit(2));
    assertThat(parse("dev", "--port")).isEqualTo(new Cli.Exit(2));
    assertThat(err.toString()).contains("Missing required parameter");
  }
}
