// SQLite group-commit writer, run in a worker thread so the fsync of each commit does not block
// the event loop that verifies the next requests. Plain JS: it needs no loader in the worker.
// Protocol: {id, epoch, batch: {entries, nodes, tips}} in; {id, ok} or {id, ok: false, message} out.
// After a failed batch, batches of the same or an older epoch are refused: they may hold entries
// whose predecessors were in the failed one.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.durable ? 'FULL' : 'NORMAL'}`);
db.pragma('busy_timeout = 5000');

const insertEntry = db.prepare(
  'INSERT INTO "Entry" ("jobId", "index", "leafHash", "body", "signature", "createdAt") VALUES (?, ?, ?, ?, ?, ?)',
);
const insertNode = db.prepare(
  'INSERT INTO "TreeNode" ("jobId", "level", "index", "hash") VALUES (?, ?, ?, ?)',
);
const updateTip = db.prepare(
  'UPDATE "Job" SET "size" = ?, "lastLeaf" = ?, "trainerPubKey" = COALESCE(?, "trainerPubKey") WHERE "id" = ?',
);

const commit = db.transaction((batch) => {
  // Prisma's text format for DateTime columns on SQLite.
  const at = new Date().toISOString().replace('Z', '+00:00');
  for (const e of batch.entries)
    insertEntry.run(e.jobId, e.index, e.leafHash, e.body, e.signature, at);
  for (const n of batch.nodes) insertNode.run(n.jobId, n.level, n.index, n.hash);
  for (const t of batch.tips) {
    if (updateTip.run(t.size, t.lastLeaf, t.trainerPubKey, t.jobId).changes !== 1)
      throw new Error(`job ${t.jobId} vanished`);
  }
});

let minEpoch = 0;

parentPort.on('message', (msg) => {
  if (msg.close) {
    db.close();
    parentPort.postMessage({ id: msg.id, ok: true });
    return;
  }
  if (msg.epoch < minEpoch) {
    parentPort.postMessage({
      id: msg.id,
      ok: false,
      message: 'batch superseded by an earlier failure',
    });
    return;
  }
  try {
    commit(msg.batch);
    parentPort.postMessage({ id: msg.id, ok: true });
  } catch (e) {
    minEpoch = msg.epoch + 1;
    parentPort.postMessage({ id: msg.id, ok: false, message: String(e?.message ?? e) });
  }
});
