// Worker thread for state commitments (plain JS so it loads under node, tsx and vitest alike).
// Input: {id, header, parts: [[prefix, data], …]} in leaf order, where prefix ‖ data is one
// tensor's leaf data (prover/train/blob.ts). Output: {id, bytes: header ‖ prefix₁ ‖ data₁ ‖ …,
// leafHashes: [sha256(0x00 ‖ prefix ‖ data), …]}. It only concatenates and hashes: the format is
// decided by blob.ts, which checks the result against its own encoding in the tests.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const LEAF = new Uint8Array([0]);
parentPort.on('message', ({ id, header, parts }) => {
  try {
    let total = header.length;
    for (const [p, d] of parts) total += p.length + d.length;
    const bytes = new Uint8Array(total);
    bytes.set(header, 0);
    const leafHashes = [];
    let at = header.length;
    for (const [p, d] of parts) {
      bytes.set(p, at);
      bytes.set(d, at + p.length);
      at += p.length + d.length;
      leafHashes.push(
        new Uint8Array(createHash('sha256').update(LEAF).update(p).update(d).digest()),
      );
    }
    parentPort.postMessage({ id, bytes, leafHashes }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.stack ?? err) });
  }
});
