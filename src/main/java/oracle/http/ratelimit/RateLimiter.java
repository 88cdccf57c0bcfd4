package oracle.http.ratelimit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import oracle.common.LuaScript;

/**
 * The shared per-client quota in Redis ({@code lua/rate_limit.lua}, a sliding window).
 *
 * <p>The requests an event loop reads in one pass ask in one pipeline: each still runs the script
 * on its own (atomically, in arrival order), but a burst costs one connection lease, one write and
 * one read instead of one each, on the oracle and on Redis alike.
 */
public final class RateLimiter {
  public static final String KEY_PREFIX = "oracle:ratelimit:";

  private static final LuaScript SCRIPT = LuaScript.load("rate_limit");

  /** Longest wait for Redis's verdict. */
  public static final long REDIS_TIMEOUT_MS = 500;

  private final Redis redis;
  private final RateLimitSettings settings;
  private final List<String> args;

  /** The context whose requests are batched (the first to ask); others ask one by one. */
  private Context batchContext;

  private List<Request> pending = new ArrayList<>();
  private List<Promise<Response>> waiting = new ArrayList<>();

  public RateLimiter(Redis redis, RateLimitSettings settings) {
    this.redis = redis;
    this.settings = settings;
    this.args = List.of(Integer.toString(settings.limit()), Long.toString(settings.windowMs()));
  }

  /** The client's key; the braces make it a cluster hash tag, so the window keys share a slot. */
  public static String key(String client) {
    return KEY_PREFIX + "{" + client + "}";
  }

  public Future<Decision> acquire(String client) {
    Request request = SCRIPT.request(List.of(key(client)), args);
    return send(request).map(this::decision);
  }

  private Future<Response> send(Request request) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext())
      return eval(List.of(request)).map(r -> r.get(0));
    if (batchContext == null) batchContext = context;
    if (context != batchContext) return eval(List.of(request)).map(r -> r.get(0));
    Promise<Response> promise = ((ContextInternal) context).promise();
    if (pending.isEmpty()) context.runOnContext(v -> flush());
    pending.add(request);
    waiting.add(promise);
    return promise.future();
  }

  /** Sends what the current pass asked for, as one pipeline. */
  private void flush() {
    List<Request> requests = pending;
    List<Promise<Response>> promises = waiting;
    pending = new ArrayList<>();
    waiting = new ArrayList<>();
    eval(requests)
        .onComplete(
            ar -> {
              for (int i = 0; i < promises.size(); i++) {
                if (ar.succeeded()) promises.get(i).complete(ar.result().get(i));
                else promises.get(i).fail(ar.cause());
              }
            });
  }

  private Future<List<Response>> eval(List<Request> requests) {
    return (requests.size() == 1
            ? SCRIPT.eval(redis, requests.get(0)).map(r -> List.of(r))
            : SCRIPT.evalBatch(redis, requests))
        .timeout(REDIS_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private Decision decision(Response r) {
    return new Decision(
        r.get(0).toInteger() == 1,
        settings.limit(),
        r.get(1).toLong(),
        r.get(2).toLong(),
        r.get(3).toLong());
  }

  /** One request's verdict; {@code resetMs} is the time left in the current window. */
  public record Decision(
      boolean allowed, int limit, long remaining, long resetMs, long retryAfterMs) {}
}
