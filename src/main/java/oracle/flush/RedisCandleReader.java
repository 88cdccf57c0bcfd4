package oracle.flush;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import oracle.common.RedisKeys;
import oracle.storage.CandleRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the candles not yet in the database: {@code SCAN} over {@code oracle:candle:*}, then
 * {@code HGETALL} pipelined in batches. A hash that cannot be parsed is logged and left alone (never
 * deleted, never marked) so nothing is lost.
 */
final class RedisCandleReader {
  private static final Logger log = LoggerFactory.getLogger(RedisCandleReader.class);
  private static final int SCAN_COUNT = 10_000;
  private static final int PIPELINE = 1_000;

  private final Redis redis;

  RedisCandleReader(Redis redis) {
    this.redis = redis;
  }

  Future<List<PendingCandle>> readUnflushed() {
    long started = System.nanoTime();
    return scan("0", new ArrayList<>()).compose(keys -> {
      long scanned = System.nanoTime();
      return fetch(keys).onSuccess(p -> log.debug("read {} keys: SCAN {} ms, HGETALL {} ms, {} unflushed", keys.size(),
          (scanned - started) / 1_000_000, (System.nanoTime() - scanned) / 1_000_000, p.size()));
    });
  }

  private Future<List<String>> scan(String cursor, List<String> keys) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(RedisKeys.CANDLE_PREFIX + "*").arg("COUNT").arg(SCAN_COUNT))
        .compose(r -> {
          for (Response k : r.get(1)) keys.add(k.toString());
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture(keys) : scan(next, keys);
        });
  }

  private Future<List<PendingCandle>> fetch(List<String> keys) {
    // SCAN may return a key twice; read each once.
    List<String> unique = keys.stream().distinct().toList();
    List<Future<List<PendingCandle>>> batches = new ArrayList<>();
    for (int i = 0; i < unique.size(); i += PIPELINE) {
      List<String> slice = unique.subList(i, Math.min(unique.size(), i + PIPELINE));
      List<Request> requests = slice.stream().map(k -> Request.cmd(Command.HGETALL).arg(k)).toList();
      batches.add(redis.batch(requests).map(responses -> {
        List<PendingCandle> out = new ArrayList<>();
        for (int j = 0; j < slice.size(); j++) {
          PendingCandle p = parse(slice.get(j), responses.get(j));
          if (p != null) out.add(p);
        }
        return out;
      }));
    }
    return Future.all(batches).map(cf -> {
      List<PendingCandle> all = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) all.addAll(cf.<List<PendingCandle>>resultAt(i));
      return all;
    });
  }

  /** Null when the hash is already flushed (and unchanged since), gone, or malformed. */
  static PendingCandle parse(String key, Response hash) {
    Map<String, String> fields = toMap(hash);
    if (fields.isEmpty()) return null; // expired between SCAN and HGETALL
    String updatedAt = fields.getOrDefault("updated_at", "");
    String flushedAt = fields.get("flushed_at");
    if (flushedAt != null && parseLong(updatedAt) <= parseLong(flushedAt)) return null;
    try {
      String rest = key.substring(RedisKeys.CANDLE_PREFIX.length());
      int colon = rest.lastIndexOf(':');
      String symbol = rest.substring(0, colon);
      long minute = Long.parseLong(rest.substring(colon + 1));
      String quoteVolume = fields.get("quote_volume");
      String sources = fields.get("sources");
      CandleRow row = new CandleRow(symbol, minute,
          Double.parseDouble(fields.get("open")), Double.parseDouble(fields.get("high")),
          Double.parseDouble(fields.get("low")), Double.parseDouble(fields.get("close")),
          Double.parseDouble(fields.getOrDefault("volume", "0")),
          quoteVolume == null || quoteVolume.isBlank() ? null : Double.valueOf(quoteVolume),
          sources == null || sources.isBlank() ? List.of() : Arrays.stream(sources.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
      return new PendingCandle(key, row, updatedAt);
    } catch (RuntimeException e) {
      log.warn("skipping malformed candle hash {} ({}): {}", key, e.getMessage(), fields);
      return null;
    }
  }

  private static Map<String, String> toMap(Response hash) {
    Map<String, String> out = new HashMap<>();
    if (hash == null) return out;
    // RESP3 answers a map, RESP2 a flat list of field/value pairs.
    if (!hash.getKeys().isEmpty()) {
      for (String k : hash.getKeys()) out.put(k, hash.get(k).toString());
    } else {
      for (int i = 0; i + 1 < hash.size(); i += 2) out.put(hash.get(i).toString(), hash.get(i + 1).toString());
    }
    return out;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (RuntimeException e) {
      return 0L;
    }
  }
}
