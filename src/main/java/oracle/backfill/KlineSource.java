package oracle.backfill;

import io.vertx.core.Future;
import java.util.List;
import oracle.exchange.Kline;

/**
 * Where backfill gets historical 1-minute klines: one exchange. The production wiring asks the
 * polling verticle ({@link PolledKlineSource}), so backfill shares the live adapters' breakers and
 * rate limits.
 */
public interface KlineSource {
  String name();

  /** 1-minute klines of one symbol with {@code fromSec <= time <= toSec}, ascending. */
  Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec);
}
