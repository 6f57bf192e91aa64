/**
 * Content-addressed blob store on the filesystem (DESIGN §3): bytes are streamed to a temp file
 * while hashed, fsynced, renamed to blobs/<aa>/<bb>/<sha256>, and the directory fsynced, so a blob
 * is either wholly present under its address or absent — never torn — after a crash.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
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
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Streams `body` into the store; rejects (and keeps nothing) if it does not hash to `expected`. */
  async put(expected: string, body: Readable): Promise<PutResult> {
    const tmp = path.join(this.tmpDir, `${expected}.${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    const limit = this.maxBytes;
    let size = 0;
    // Hash on the way through; the file stream writes in the thread pool, overlapping with
    // receiving the next chunks.
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit)
          return done(
            new FlagstoneError(
              'FLAGSTONE_ERR_PAYLOAD_TOO_LARGE',
              `blob exceeds the limit of ${limit} bytes`,
            ),
          );
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx', highWaterMark: 1 << 20 }));
      const got = hash.digest('hex');
      if (got !== expected) {
        throw new FlagstoneError(
          'FLAGSTONE_ERR_HASH_MISMATCH',
          `body hashes to ${got}, not to the address ${expected}`,
        );
      }
      await fsyncPath(tmp, 'r+');
      const final = this.pathOf(expected);
      const existed = await this.has(expected);
      if (!existed) {
        await mkdir(path.dirname(final), { recursive: true });
        await rename(tmp, final);
        await fsyncPath(path.dirname(final), 'r');
      } else {
        await rm(tmp, { force: true });
      }
      return { sha256: expected, size, created: !existed };
    } catch (e) {
      await rm(tmp, { force: true });
      // Drain the rest of the request so the client reads our answer instead of a reset.
      body.resume();
      throw e;
    }
  }

  async size(sha256: string): Promise<number | undefined> {
    return stat(this.pathOf(sha256)).then(
      (s) => s.size,
      () => undefined,
    );
  }

  read(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }
}

/** fsync a file or directory (on Linux fsync flushes the inode whichever descriptor asks). */
async function fsyncPath(p: string, flags: 'r' | 'r+'): Promise<void> {
  const fd = await open(p, flags);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}
