package oracle.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle's own Prometheus series, as the dashboard and alerts may use them. Micrometer names
 * with dots become these ("oracle.price.updates" counter → {@code oracle_price_updates_total}; a
 * timer with a histogram → {@code _bucket}, {@code _count}, {@code _sum}, {@code _max}).
 */
final class OracleMetricNames {
  private OracleMetricNames() {}

  static final Set<String> KNOWN =
      Set.of(
          "oracle_leader_changes_total",
          "oracle_is_leader",
          "oracle_leader_fencing_token",
          "oracle_price_updates_total",
          "oracle_price_symbols",
          "oracle_exchange_health",
          "oracle_ingestion_duration_seconds_bucket",
          "oracle_ingestion_duration_seconds_count",
          "oracle_ingestion_duration_seconds_sum",
          "oracle_flush_duration_seconds_bucket",
          "oracle_flush_duration_seconds_count",
          "oracle_flush_duration_seconds_sum",
          "oracle_flush_lag_seconds",
          "oracle_flush_rows_total",
          "oracle_api_sse_streams",
          "oracle_api_sse_dropped_total",
          "oracle_api_duration_seconds_bucket",
          "oracle_api_duration_seconds_count",
          "oracle_api_duration_seconds_sum",
          "oracle_price_oldest_age_seconds",
          "oracle_sources_dropped_total",
          "oracle_build_info");

  private static final Pattern ORACLE_NAME = Pattern.compile("\\boracle_[a-z0-9_]+");

  /** Every {@code oracle_*} name an expression mentions. */
  static Set<String> referencedBy(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = ORACLE_NAME.matcher(expr);
    while (m.find()) names.add(m.group());
    return names;
  }
}
