/**
 * Computing a state commitment off the training thread. The blob format and its leaf hashes are
 * those of blob.ts (encodeStateBlob); here the tensor headers are encoded on the caller's thread
 * (a few bytes each) and a worker thread concatenates and SHA-256-hashes the element bytes while
 * training continues on the main thread. One worker is shared by the process and unref'd, so it
 * never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { MemoryTree, sortTensors, toHex, type NamedTensor } from '../../ledger/index.ts';
import { blobHeader, encodeStateBlob, tensorPrefix, type StateCommitment } from './blob.ts';

export type StateHash = { bytes: Uint8Array } & StateCommitment;

export interface StateHasher {
  hash(tensors: readonly NamedTensor[]): Promise<StateHash>;
}

/** Hashes on the calling thread. */
export const inlineHasher: StateHasher = { hash: async (tensors) => encodeStateBlob(tensors) };

interface Reply {
  id: number;
  bytes?: Uint8Array;
  leafHashes?: Uint8Array[];
  error?: string;
}

class WorkerHasher implements StateHasher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private nextId = 0;
  dead = false;

  constructor() {
    // No execArgv: the worker is plain JS and must not load the parent's loaders (tsx, vitest).
    this.worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    this.worker.on('message', (r: Reply) => {
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
    });
    const fail = (why: string) => {
      this.dead = true;
      for (const resolve of this.pending.values()) resolve({ id: -1, error: why });
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(String(err)));
    this.worker.on('exit', (code) => fail(`worker exited with ${code}`));
    // Attaching a 'message' listener refs the worker; it is ref'd only while a request is
    // pending, so an idle hasher never keeps the process alive and a busy one is never cut off.
    this.worker.unref();
  }

  async hash(tensors: readonly NamedTensor[]): Promise<StateHash> {
    if (this.dead) throw new Error('state hasher worker is gone');
    const sorted = sortTensors(tensors);
    const id = this.nextId++;
    // Element bytes are copied by structured clone, never transferred: on the cpu backend they
    // can be the live storage of a tf variable.
    // A view of a larger buffer would clone the whole buffer, so such views are sliced first.
    const parts = sorted.map((t) => [
      tensorPrefix(t),
      t.data.byteLength === t.data.buffer.byteLength ? t.data : t.data.slice(),
    ]);
    const reply = await new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.ref();
      this.worker.postMessage({ id, header: blobHeader(sorted.length), parts });
    });
    if (reply.error || !reply.bytes || !reply.leafHashes)
      throw new Error(`state hasher: ${reply.error ?? 'no reply'}`);
    const bytes = reply.bytes;
    const tree = new MemoryTree();
    for (const h of reply.leafHashes) tree.append(h);
    return {
      bytes,
      names: sorted.map((t) => t.name),
      leafHashes: reply.leafHashes,
      root: toHex(tree.root()),
    };
  }
}

let shared: WorkerHasher | undefined;

/** The process-wide worker hasher (created on first use). */
export function workerHasher(): StateHasher {
  if (!shared || shared.dead) shared = new WorkerHasher();
  return shared;
}
