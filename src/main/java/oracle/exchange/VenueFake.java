package oracle.exchange;

import io.vertx.ext.web.Router;

/**
 * A venue's fake: its real wire format served on its own port by the fake exchange server ({@code
 * oracle.simulator}, for tests and dev mode). Each venue package implements it beside its adapter
 * and names it in its {@link ExchangeSpec}; the server routes request counting and faults before
 * the venue's routes.
 */
@FunctionalInterface
public interface VenueFake {
  /** Adds the venue's routes, answering from {@code markets}, to {@code router}. */
  void routes(Router router, FakeMarkets markets);
}
