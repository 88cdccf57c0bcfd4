package oracle.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import oracle.http.common.ApiError;
import oracle.http.common.ApiErrors;

/**
 * Checks what the router would otherwise trip over with a 500 before any route runs: a malformed
 * percent-escape in the path or the query string, and an HTTP/1.1 request without a usable {@code
 * Host} (none, folded, or not a host such as {@code [::1}). Each gets the API's JSON 400 naming
 * {@code path}, {@code query} or {@code host}; everything else goes to the router.
 */
final class RequestGuard implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;

  RequestGuard(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    ApiError e = check(request);
    if (e == null) next.handle(request);
    else ApiErrors.send(request, e);
  }

  static ApiError check(HttpServerRequest request) {
    if (!validEscapes(request.path()))
      return ApiError.badRequest("path", "the path has a malformed percent-escape");
    if (!validEscapes(request.query()))
      return ApiError.badRequest("query", "malformed query string");
    boolean hostRequired = request.version() == HttpVersion.HTTP_1_1;
    String host = request.headers().get("host");
    if (host == null && !hostRequired) return null;
    try {
      if (host == null
          || request.headers().getAll("host").size() > 1
          || request.authority() == null
          || !validHost(host)) {
        return ApiError.badRequest("host", "a single valid Host header is required");
      }
    } catch (RuntimeException unparsable) {
      return ApiError.badRequest("host", "a single valid Host header is required");
    }
    return null;
  }

  /** Every {@code %} is followed by two hex digits (null counts as valid). */
  static boolean validEscapes(String s) {
    if (s == null) return true;
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length()
          || Character.digit(s.charAt(i + 1), 16) < 0
          || Character.digit(s.charAt(i + 2), 16) < 0) return false;
    }
    return true;
  }

  /**
   * A host name, IPv4, or bracketed IPv6 literal, with an optional port; no spaces or stray
   * brackets: {@code (\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(:\d{1,5})?}, checked by hand
   * (a regex match per request cost more than the rest of the guard).
   */
  static boolean validHost(String host) {
    int n = host.length();
    int i;
    if (n > 0 && host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 2) return false;
      for (int k = 1; k < close; k++) {
        char c = host.charAt(k);
        if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 128)) return false;
      }
      i = close + 1;
    } else {
      i = 0;
      while (i < n && NAME.get(host.charAt(i))) i++;
      if (i == 0) return false;
    }
    if (i == n) return true;
    if (host.charAt(i) != ':' || n - i - 1 < 1 || n - i - 1 > 5) return false;
    for (int k = i + 1; k < n; k++) {
      char c = host.charAt(k);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  /** The characters of a host name (reg-name) allowed here. */
  private static final java.util.BitSet NAME = new java.util.BitSet(128);

  static {
    for (char c :
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=%-"
            .toCharArray()) NAME.set(c);
  }
}
