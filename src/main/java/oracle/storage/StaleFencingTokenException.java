package oracle.storage;

/**
 * The database has seen a higher fencing token than the one this write presented: a newer leader
 * exists.
 */
public final class StaleFencingTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StaleFencingTokenException(long presented) {
    super(
        "stale fencing token "
            + presented
            + ": the database has seen a newer leader; write rejected");
  }
}
