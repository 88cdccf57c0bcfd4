package oracle.aggregation;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Collection;
import oracle.common.RedisKeys;

/**
 * What health needs of all the prices, kept in one small key by the leader each tick ({@link
 * RedisKeys#PRICES_SUMMARY}): when the tick ran, the newest agreed price's time and the sources
 * behind the tick's prices. Every instance's health then reads one key, not one per symbol (an MGET
 * and a JSON parse of 10,000 prices a second per instance in whole-market mode).
 */
final class PriceSummary {
  private PriceSummary() {}

  /**
   * The SET of one tick's summary. It never expires: when ticks stop, its newest price simply ages,
   * which is what health reports.
   */
  static Request request(long tickMs, long newestPriceMs, Collection<String> sources) {
    StringBuilder json =
        new StringBuilder("{\"tickMs\":")
            .append(tickMs)
            .append(",\"newestPriceMs\":")
            .append(newestPriceMs)
            .append(",\"sourcesUsed\":[");
    boolean first = true;
    for (String s : sources) {
      if (!first) json.append(',');
      first = false;
      json.append('"').append(s).append('"'); // source names are [a-z0-9] (ExchangeSpec)
    }
    json.append("]}");
    return Request.cmd(Command.SET).arg(RedisKeys.PRICES_SUMMARY).arg(json.toString());
  }
}
