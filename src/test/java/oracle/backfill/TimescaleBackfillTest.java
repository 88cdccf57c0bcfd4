package oracle.backfill;

import oracle.storage.StorageBackend;

/** Backfill on TimescaleDB (PGlite). */
class TimescaleBackfillTest extends BackfillContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.TIMESCALE;
  }
}
