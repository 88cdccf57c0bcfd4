package oracle;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import oracle.dev.DevCommand;
import oracle.dev.DevOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line: what to run (the production server, or {@code dev}), or a help text, or a
 * refusal with the usage. Parsing only: nothing starts here, so it is tested as a pure function.
 */
final class Cli {
  /** Exit status of a refused command line (picocli's and the shells' convention). */
  static final int USAGE_ERROR = CommandLine.ExitCode.USAGE;

  private Cli() {}

  /** The outcome of the command line. */
  sealed interface Parsed permits Exit, Production, Dev {}

  /** Help was printed (0) or the command line refused (2): exit with that status. */
  record Exit(int code) implements Parsed {}

  /** Run the production server; {@code port} wins over {@code ORACLE_HTTP_PORT}. */
  record Production(Optional<Integer> port) implements Parsed {}

  record Dev(DevOptions options) implements Parsed {}

  @Command(
      name = "java -jar token-price-oracle.jar",
      sortOptions = false,
      subcommands = DevCommand.class,
      description = {
        "Runs the price oracle server.",
        "Configured by environment variables (ORACLE_REDIS_URL, ORACLE_PG_URL, ORACLE_HTTP_PORT,"
            + " ...) and, when present, conf/config.json or the file named by ORACLE_CONFIG."
      })
  static final class ServerCommand {
    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "HTTP port (default: ORACLE_HTTP_PORT, else 8080; 0: any free port).")
    Integer port;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;
  }

  static Parsed parse(List<String> args, PrintWriter out, PrintWriter err) {
    ServerCommand server = new ServerCommand();
    CommandLine cli = new CommandLine(server).setOut(out).setErr(err);
    try {
      ParseResult result = cli.parseArgs(args.toArray(String[]::new));
      if (CommandLine.printHelpIfRequested(result)) return new Exit(0);
      if (result.hasSubcommand()) {
        DevOptions dev = ((DevCommand) result.subcommand().commandSpec().userObject()).options();
        checkPort(result.subcommand().commandSpec().commandLine(), dev.port());
        return new Dev(dev);
      }
      checkPort(cli, Optional.ofNullable(server.port));
      return new Production(Optional.ofNullable(server.port));
    } catch (ParameterException e) {
      err.println(e.getMessage());
      e.getCommandLine().usage(err);
      err.flush();
      return new Exit(USAGE_ERROR);
    }
  }

  private static void checkPort(CommandLine cli, Optional<Integer> port) {
    if (port.isPresent() && (port.get() < 0 || port.get() > 65_535)) {
      throw new ParameterException(
          cli, "--port: expected an integer in [0, 65535], got '" + port.get() + "'");
    }
  }
}
