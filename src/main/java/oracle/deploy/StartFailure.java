package oracle.deploy;

import java.net.BindException;

/** The one line a failed start prints, naming the cause a person can act on. */
public final class StartFailure {
  private StartFailure() {}

  /** A busy HTTP port is named with the ways to pick another; any other cause is reported as is. */
  public static String message(Throwable cause, String host, int port) {
    if (portInUse(cause)) {
      return "port "
          + port
          + " is already in use on "
          + host
          + " (another program, or another oracle, listens there): choose another with --port"
          + " (e.g. --port "
          + (port == 65_535 ? port - 1 : port + 1)
          + ") or ORACLE_HTTP_PORT";
    }
    return "start-up failed: " + cause.getMessage();
  }

  /** java.net's BindException, or netty's native transport error carrying the same errno text. */
  public static boolean portInUse(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) return true;
      if (t.getMessage() != null && t.getMessage().contains("Address already in use")) return true;
    }
    return false;
  }
}
