package oracle.http.market;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Writes candle responses straight into a buffer: a 5,000-candle page is the API's hot path, and
 * building a JsonObject per candle first would cost more than the query.
 */
final class CandleJson {
  private CandleJson() {}

  /** {@code {"symbol","resolution","candles":[{time,open,high,low,close,volume}],"nextFrom"}}. */
  static Buffer ohlcv(String symbol, Resolution r, CandlePage page) {
    StringBuilder sb = new StringBuilder(96 + page.bars().size() * 110);
    sb.append("{\"symbol\":\"").append(symbol).append("\",\"resolution\":\"").append(r.api()).append("\",\"candles\":[");
    List<Bar> bars = page.bars();
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      if (i > 0) sb.append(',');
      sb.append("{\"time\":").append(b.time());
      num(sb.append(",\"open\":"), b.open());
      num(sb.append(",\"high\":"), b.high());
      num(sb.append(",\"low\":"), b.low());
      num(sb.append(",\"close\":"), b.close());
      num(sb.append(",\"volume\":"), b.volume());
      sb.append('}');
    }
    sb.append("],\"nextFrom\":").append(page.nextFrom() == null ? "null" : page.nextFrom().toString()).append('}');
    return Buffer.buffer(sb.toString());
  }

  /** TradingView UDF {@code /history}: parallel arrays. */
  static Buffer udfHistory(List<Bar> bars) {
    StringBuilder sb = new StringBuilder(64 + bars.size() * 100);
    sb.append("{\"s\":\"ok\",\"t\":[");
    for (int i = 0; i < bars.size(); i++) sb.append(i > 0 ? "," : "").append(bars.get(i).time());
    column(sb.append("],\"o\":["), bars, 0);
    column(sb.append("],\"h\":["), bars, 1);
    column(sb.append("],\"l\":["), bars, 2);
    column(sb.append("],\"c\":["), bars, 3);
    column(sb.append("],\"v\":["), bars, 4);
    sb.append("]}");
    return Buffer.buffer(sb.toString());
  }

  private static void column(StringBuilder sb, List<Bar> bars, int field) {
    for (int i = 0; i < bars.size(); i++) {
      if (i > 0) sb.append(',');
      Bar b = bars.get(i);
      num(sb, switch (field) {
        case 0 -> b.open();
        case 1 -> b.high();
        case 2 -> b.low();
        case 3 -> b.close();
        default -> b.volume();
      });
    }
  }

  /** JSON has no NaN or Infinity; such a value (never expected from the store) is written as null. */
  private static void num(StringBuilder sb, double v) {
    if (Double.isFinite(v)) sb.append(v);
    else sb.append("null");
  }
}
