package oracle.common;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from {@code lua/}, run with {@code EVALSHA}. It is loaded once with {@code SCRIPT
 * LOAD}; a {@code NOSCRIPT} reply (Redis restarted or flushed its script cache) re-loads it and
 * retries once.
 */
public final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /**
   * Reads {@code lua/<name>.lua} from the classpath (the jar bundles the top-level lua/ folder).
   */
  public static LuaScript load(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null)
        throw new IllegalStateException("missing Lua script on the classpath: " + path);
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  public String name() {
    return name;
  }

  public String sha() {
    return sha;
  }

  /** {@code SCRIPT LOAD}: makes the script known to Redis. */
  public Future<Void> register(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).mapEmpty();
  }

  /** The {@code EVALSHA} request, for use in a pipeline ({@link Redis#batch}). */
  public Request request(List<String> keys, List<String> args) {
    Request req = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
    keys.forEach(req::arg);
    args.forEach(req::arg);
    return req;
  }

  public Future<Response> eval(Redis redis, List<String> keys, List<String> args) {
    return eval(redis, request(keys, args));
  }

  /**
   * Sends one request made by {@link #request}; on {@code NOSCRIPT} re-loads and re-sends it once.
   */
  public Future<Response> eval(Redis redis, Request request) {
    return redis
        .send(request)
        .recover(
            err ->
                isNoScript(err)
                    ? register(redis).compose(v -> redis.send(request))
                    : Future.failedFuture(err));
  }

  /**
   * Runs a pipeline of this script's requests; on {@code NOSCRIPT} re-loads and re-sends the batch
   * once.
   */
  public Future<List<Response>> evalBatch(Redis redis, List<Request> requests) {
    return redis
        .batch(requests)
        .recover(
            err ->
                isNoScript(err)
                    ? register(redis).compose(v -> redis.batch(requests))
                    : Future.failedFuture(err));
  }

  public static boolean isNoScript(Throwable err) {
    String msg = err.getMessage();
    return msg != null && msg.contains("NOSCRIPT");
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
