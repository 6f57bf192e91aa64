/**
 * Content-addressed blob store on the filesystem (DESIGN §3): bytes are streamed to a temp file
 * while hashed, fsynced, renamed to blobs/<aa>/<bb>/<sha256>, and the directory fsynced, so a blob
 * is either wholly present under its address or absent — never torn — after a crash.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, type ReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FlagstoneError } from '../errors.ts';

export interface PutResult {
  readonly sha256: string;
  readonly size: number;
  readonly created: boolean;
}

export class BlobStore {
  private readonly tmpDir: string;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {
    this.tmpDir = path.join(root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(() => true, () => false);
  }

  /** Streams `body` into the store; rejects (and keeps nothing) if it does not hash to `expected`. */
  async put(expected: string, body: Readable): Promise<PutResult> {
    const tmp = path.join(this.tmpDir, `${expected}.${randomBytes(6).toString('hex')}`);
    const file = await open(tmp, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > this.maxBytes) {
          throw new FlagstoneError('FLAGSTONE_ERR_PAYLOAD_TOO_LARGE', `blob exceeds the limit of ${this.maxBytes} bytes`);
        }
        hash.update(buf);
        await file.write(buf);
      }
      const got = hash.digest('hex');
      if (got !== expected) {
        throw new FlagstoneError('FLAGSTONE_ERR_HASH_MISMATCH', `body hashes to ${got}, not to the address ${expected}`);
      }
      await file.sync();
      await file.close();
      const final = this.pathOf(expected);
      const existed = await this.has(expected);
      if (!existed) {
        await mkdirSafe(path.dirname(final));
        await rename(tmp, final);
        await fsyncDir(path.dirname(final));
      } else {
        await rm(tmp, { force: true });
      }
      return { sha256: expected, size, created: !existed };
    } catch (e) {
      await file.close().catch(() => undefined);
      await rm(tmp, { force: true });
      // Drain the rest of the request so the client reads our answer instead of a reset.
      body.resume();
      throw e;
    }
  }

  /** Writes bytes already in memory (used by services that produce blobs themselves). */
  async putBytes(sha256: string, bytes: Uint8Array): Promise<PutResult> {
    const { Readable } = await import('node:stream');
    return this.put(sha256, Readable.from([Buffer.from(bytes)]));
  }

  async size(sha256: string): Promise<number | undefined> {
    return stat(this.pathOf(sha256)).then((s) => s.size, () => undefined);
  }

  read(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }
}

/** Hash of bytes, for callers that need an address before putting. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function mkdirSafe(dir: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
}

async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}
