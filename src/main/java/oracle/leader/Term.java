package oracle.leader;

/**
 * One leadership term as a leader-only verticle sees it: the fencing token its writes carry, and
 * whether the term still holds. Timers and async continuations capture the term they started under
 * and check {@link #isCurrent()} before acting, so work begun in an ended term (leadership lost, a
 * newer term begun, the verticle stopped) does nothing more.
 */
public final class Term {
  /** No term: not leading. */
  public static final Term NONE = ended(-1);

  private final long token;
  private volatile boolean current = true;

  private Term(long token) {
    this.token = token;
  }

  /** A term that holds until {@link #end()}. */
  public static Term begin(long token) {
    return new Term(token);
  }

  private static Term ended(long token) {
    Term t = new Term(token);
    t.current = false;
    return t;
  }

  public long token() {
    return token;
  }

  public boolean isCurrent() {
    return current;
  }

  /** Ends the term for everyone holding it; idempotent. */
  public void end() {
    current = false;
  }

  @Override
  public String toString() {
    return "term " + token + (current ? "" : " (ended)");
  }
}
