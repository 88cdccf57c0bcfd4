package oracle.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import oracle.deploy.AppSettings;
import org.junit.jupiter.api.Test;

/** What dev mode says to the person who started it. */
class DevTextTest {
  /** Before, "no exchange answered within 10 s" was printed when all had failed after 2.3 s. */
  @Test
  void theFallbackLineSaysHowLongItReallyTook() {
    assertThat(ExchangeProbe.noAnswer("binance: connection refused", 2_300))
        .isEqualTo("every exchange failed after 2.3 s (binance: connection refused)");
    assertThat(ExchangeProbe.noAnswer("timeout", 10_000))
        .isEqualTo("no exchange answered within 10 s (timeout)");
  }

  @Test
  void theBannerSaysWhereWhatAndHowToStop() {
    Path data = Path.of("/tmp/x/data/dev");
    DevOptions loopback =
        new DevOptions(true, false, data, Optional.of(9001), "127.0.0.1", Optional.empty());
    AppSettings config =
        AppSettings.from(DevConfig.withHttp(DevConfig.base(Map.of(), Optional.empty()), loopback));
    String banner = DevBanner.text(config, "SIMULATED by the built-in market simulator", loopback);
    assertThat(banner)
        .contains("http://127.0.0.1:9001/")
        .contains("http://127.0.0.1:9001/docs")
        .contains("SIMULATED")
        .contains("this machine only; --host to change")
        .contains(data.toString())
        .contains("--fresh")
        .contains("Ctrl-C")
        .contains("config     built-in defaults\n");

    DevOptions everywhere =
        new DevOptions(
            false, false, data, Optional.of(9001), "0.0.0.0", Optional.of(Path.of("my.json")));
    config =
        AppSettings.from(
            DevConfig.withHttp(DevConfig.base(Map.of(), Optional.empty()), everywhere));
    banner = DevBanner.text(config, "real exchanges (binance answered first)", everywhere);
    assertThat(banner)
        .contains("http://localhost:9001/")
        .contains("0.0.0.0:9001\n")
        .contains("built-in defaults + my.json");
  }
}
