package oracle.dev;

import java.nio.file.Path;
import java.util.List;

/** The arguments of {@code dev [--simulate] [--fresh]}; data lives under {@code ./data/dev}. */
record DevOptions(boolean simulate, boolean fresh, Path dataDir) {
  static final Path DATA_DIR = Path.of("data", "dev");
  static final String USAGE = "usage: java -jar token-price-oracle.jar dev [--simulate] [--fresh]";

  static DevOptions parse(List<String> args) {
    boolean simulate = false;
    boolean fresh = false;
    for (String a : args) {
      switch (a) {
        case "--simulate" -> simulate = true;
        case "--fresh" -> fresh = true;
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'; " + USAGE);
      }
    }
    return new DevOptions(simulate, fresh, DATA_DIR.toAbsolutePath());
  }
}
