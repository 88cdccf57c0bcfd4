package oracle.backfill;

import oracle.storage.StorageBackend;

/** Backfill on plain PostgreSQL. */
class PlainBackfillTest extends BackfillContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.PLAIN;
  }
}
