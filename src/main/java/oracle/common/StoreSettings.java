package oracle.common;

/**
 * Where the shared stores are: Redis, the PostgreSQL primary (flush, backfill, migrations, fencing)
 * and the URL API reads go to (a read replica or pooler when configured).
 */
public record StoreSettings(
    String redisUrl,
    String pgUrl,
    String pgReadUrl,
    int pgPoolSize,
    PgFactory.SessionLimits pgLimits) {
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0";
  public static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test";
}
