package oracle.flush;

import oracle.storage.StorageBackend;

/** The flush contract on plain PostgreSQL. */
class PlainFlushTest extends FlushContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.PLAIN;
  }
}
