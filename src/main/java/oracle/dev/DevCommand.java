package oracle.dev;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The flags of {@code dev}, as picocli reads them; {@link #options()} hands them over. */
@Command(
    name = "dev",
    sortOptions = false,
    description = {
      "Runs the whole oracle in one process, with no setup.",
      "Embedded Redis and PostgreSQL (history kept in data/dev under the current folder); real"
          + " exchanges when one answers, the built-in market simulator otherwise. Ctrl-C saves"
          + " the open minute, then stops the stores."
    })
public final class DevCommand {
  @Option(names = "--simulate", description = "Use the built-in market simulator (no network).")
  boolean simulate;

  @Option(names = "--fresh", description = "Delete ./data/dev first (start with no history).")
  boolean fresh;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port (default: ORACLE_HTTP_PORT, else 8080; 0: any free port).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0: every interface).",
      defaultValue = DevOptions.LOOPBACK)
  String host;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON configuration merged over the built-in defaults (none unless given).")
  Path config;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  public DevOptions options() {
    return new DevOptions(
        simulate,
        fresh,
        DevOptions.DATA_DIR.toAbsolutePath(),
        Optional.ofNullable(port),
        host,
        Optional.ofNullable(config));
  }
}
