package oracle.ops;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what real oracle processes did from their JSON logs (one clock: this machine's). */
final class LogScan {
  private LogScan() {}

  /**
   * One term of leadership: [from, to) in ms; to = MAX while it lasts (or the process died
   * leading).
   */
  record Term(String node, long token, long from, long to) {}

  /**
   * Every "elected" line as a term, closed by its "revoked" line, ordered by start; a token elected
   * twice appears twice.
   */
  static List<Term> terms(Path dir) throws IOException {
    List<Term> out = new ArrayList<>();
    Map<Long, Long> revokedAt = new TreeMap<>();
    for (JsonObject j : lines(dir)) {
      String msg = j.getString("formattedMessage", "");
      if (msg.startsWith("elected leader with fencing token ")) {
        long token = Long.parseLong(msg.substring(msg.lastIndexOf(' ') + 1));
        out.add(new Term(node(j), token, j.getLong("timestamp"), Long.MAX_VALUE));
      } else if (msg.startsWith("leadership revoked (token ")) {
        revokedAt.put(
            Long.parseLong(msg.substring("leadership revoked (token ".length(), msg.indexOf(')'))),
            j.getLong("timestamp"));
      }
    }
    out.replaceAll(
        t ->
            revokedAt.containsKey(t.token())
                ? new Term(t.node(), t.token(), t.from(), revokedAt.get(t.token()))
                : t);
    out.sort(Comparator.comparingLong(Term::from));
    return out;
  }

  static List<Long> tokens(List<Term> terms) {
    return terms.stream().map(Term::token).toList();
  }

  /**
   * When {@code node} first logged a flush that wrote candles after {@code from}; null if not yet.
   */
  static Long firstFlushAfter(Path dir, String node, long from) {
    try {
      return lines(dir).stream()
          .filter(
              j ->
                  node.equals(node(j))
                      && j.getLong("timestamp") >= from
                      && j.getString("formattedMessage", "").startsWith("flushed "))
          .map(j -> j.getLong("timestamp"))
          .min(Long::compare)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** How many log lines start with {@code prefix}. */
  static long count(Path dir, String prefix) throws IOException {
    return lines(dir).stream()
        .filter(j -> j.getString("formattedMessage", "").startsWith(prefix))
        .count();
  }

  private static String node(JsonObject j) {
    JsonObject ctx = j.getJsonObject("context");
    return ctx == null
        ? null
        : ctx.getJsonObject("properties", new JsonObject()).getString("instanceId");
  }

  private static List<JsonObject> lines(Path dir) throws IOException {
    List<JsonObject> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f :
          files
              .filter(
                  p ->
                      p.toString().endsWith(".log")
                          && !p.getFileName().toString().startsWith("redis"))
              .toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.startsWith("{")) continue;
          try {
            out.add(new JsonObject(line));
          } catch (RuntimeException e) {
            // a line cut by a SIGKILL
          }
        }
      }
    }
    return out;
  }
}
