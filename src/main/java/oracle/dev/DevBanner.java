package oracle.dev;

import oracle.deploy.AppSettings;

/** The closing lines of a dev start: where to look, what feeds the prices, where data goes. */
final class DevBanner {
  private DevBanner() {}

  static String text(AppSettings config, String market, DevOptions options) {
    String host = config.httpHost();
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    if (shown.contains(":")) shown = "[" + shown + "]"; // an IPv6 literal in a URL
    String url = "http://" + shown + ":" + config.httpPort() + "/";
    return String.join(
        "\n",
        "dev mode is up",
        "  chart      " + url + "   (API docs: " + url + "docs)",
        "  prices     " + market,
        "  listening  "
            + host
            + ":"
            + config.httpPort()
            + (host.equals(DevOptions.LOOPBACK) ? " (this machine only; --host to change)" : ""),
        "  data       "
            + options.dataDir()
            + " (history kept across restarts; --fresh starts empty)",
        "  config     "
            + options.config().map(f -> "built-in defaults + " + f).orElse("built-in defaults"),
        "  stop       Ctrl-C (the open minute is saved first)");
  }
}
