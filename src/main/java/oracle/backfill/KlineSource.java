package oracle.backfill;

import io.vertx.core.Future;
import java.util.List;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Kline;

/**
 * Where backfill gets historical 1-minute klines: one exchange. The production wiring wraps the
 * polling layer's adapters (with their breakers and rate limits) via {@link #of(ExchangeAdapter)}.
 */
public interface KlineSource {
  String name();

  /** 1-minute klines of one symbol with {@code fromSec <= time <= toSec}, ascending. */
  Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec);

  static KlineSource of(ExchangeAdapter adapter) {
    return new KlineSource() {
      @Override
      public String name() {
        return adapter.name();
      }

      @Override
      public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
        return adapter.fetchKlines(symbol, fromSec, toSec);
      }
    };
  }
}
