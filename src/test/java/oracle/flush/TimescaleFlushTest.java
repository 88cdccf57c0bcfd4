package oracle.flush;

import oracle.storage.StorageBackend;

/** The flush contract on TimescaleDB (PGlite). */
class TimescaleFlushTest extends FlushContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.TIMESCALE;
  }
}
