package oracle.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written Host check accepts exactly what the regular expression it replaced did. */
class RequestGuardTest {
  static final Pattern HOST =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(:\\d{1,5})?");

  @Test
  void hostCheckMatchesTheFormerPattern() {
    String[] cases = {
      "",
      "localhost",
      "localhost:8080",
      "127.0.0.1",
      "127.0.0.1:80",
      "[::1]",
      "[::1]:443",
      "[::1",
      "::1",
      "[]",
      "[]:80",
      "[g::1]",
      "a b",
      "host:",
      "host:123456",
      "host:12345",
      "host:1a",
      "[::1]x",
      "[::1]:",
      "exa_mple.com",
      "xn--bcher-kva.example",
      "h\u00e9",
      "[\uff11::1]",
      ":80",
      "[1:2]:0",
      "a:b:c",
      "%41",
      "[::ffff:1.2.3.4]"
    };
    for (String c : cases) assertThat(RequestGuard.validHost(c)).as(c).isEqualTo(matches(c));
    String alphabet = "aZ09.-_~!$&'()*+,;=%:[]/ @\u00e9\uff11fF";
    Random random = new Random(5);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(12);
      for (int i = 0; i < len; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String s = sb.toString();
      if (RequestGuard.validHost(s) != matches(s))
        assertThat(RequestGuard.validHost(s)).as("'%s'", s).isEqualTo(matches(s));
    }
  }

  static boolean matches(String s) {
    return HOST.matcher(s).matches();
  }
}
