package oracle.storage;

/** The schema cannot be brought up to date safely (e.g. an applied migration file was edited). */
public final class MigrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MigrationException(String message) {
    super(message);
  }
}
