package oracle.common;

import java.util.regex.Pattern;

/** Canonical market symbols: {@code BASE/QUOTE}, upper-case letters and digits (BTC/USDT). */
public final class Symbols {
  public static final Pattern CANONICAL = Pattern.compile("^[A-Z0-9]{1,20}/[A-Z0-9]{1,20}$");

  private Symbols() {}

  public static boolean isCanonical(String symbol) {
    return symbol != null && CANONICAL.matcher(symbol).matches();
  }
}
