package oracle.dev;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code dev} was asked for (parsed by {@link DevCommand}); data lives under {@code
 * ./data/dev}.
 *
 * @param port the HTTP port, over {@code ORACLE_HTTP_PORT} and the defaults
 * @param host the address the HTTP server binds (loopback unless asked otherwise)
 * @param config a JSON file merged over the jar's defaults, read only when given
 */
public record DevOptions(
    boolean simulate,
    boolean fresh,
    Path dataDir,
    Optional<Integer> port,
    String host,
    Optional<Path> config) {
  static final Path DATA_DIR = Path.of("data", "dev");
  public static final String LOOPBACK = "127.0.0.1";
}
