package oracle.backfill;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.exchange.Kline;

/**
 * An exchange stand-in with a deterministic price per minute (offset per exchange), or one that
 * always fails.
 */
public final class FakeKlineSource implements KlineSource {
  final String name;
  final double offset;
  final boolean broken;
  final AtomicInteger calls = new AtomicInteger();

  public FakeKlineSource(String name, double offset, boolean broken) {
    this.name = name;
    this.offset = offset;
    this.broken = broken;
  }

  static double price(long minute) {
    return 1000 + (minute / 60) % 100;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
    calls.incrementAndGet();
    if (broken) return Future.failedFuture(new IllegalStateException(name + " is down"));
    List<Kline> out = new ArrayList<>();
    for (long t = fromSec; t <= toSec; t += 60) {
      double p = price(t) + offset;
      out.add(new Kline(name, symbol, t, p, p + 1, p - 1, p + 0.5, 2));
    }
    return Future.succeededFuture(out);
  }
}
