package oracle.storage;

/**
 * Which schema the database carries: TimescaleDB objects, or plain PostgreSQL partitions and rollup
 * tables.
 */
public enum StorageFlavor {
  PLAIN("plain"),
  TIMESCALE("timescale");

  private final String id;

  StorageFlavor(String id) {
    this.id = id;
  }

  /** The name recorded in {@code schema_migrations.flavor} and used for {@code sql/<id>.list}. */
  public String id() {
    return id;
  }

  public static StorageFlavor of(String id) {
    for (StorageFlavor f : values()) {
      if (f.id.equals(id)) return f;
    }
    throw new IllegalArgumentException(
        "unknown storage flavor: " + id + " (expected plain or timescale)");
  }
}
