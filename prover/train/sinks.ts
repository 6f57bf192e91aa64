/** In-process sinks: memory (tests, benchmarks) and a directory (offline `flagstone train`). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntrySink, RecordedEntry } from './recorder.ts';

export class MemorySink implements EntrySink {
  readonly entries: RecordedEntry[] = [];
  async append(rec: RecordedEntry): Promise<void> {
    this.entries.push(rec);
  }
}

/**
 * Writes entry i as `entries/<i>.json` ({entry, signature, leafHash}) and its true state as
 * `states/<i>.bin`, so a job trained without a server can be replayed or uploaded later.
 */
export class DirectorySink implements EntrySink {
  constructor(readonly dir: string) {}
  async append(rec: RecordedEntry): Promise<void> {
    const i = rec.entry.index;
    await mkdir(path.join(this.dir, 'entries'), { recursive: true });
    await mkdir(path.join(this.dir, 'states'), { recursive: true });
    await writeFile(path.join(this.dir, 'states', `${i}.bin`), rec.stateBlob);
    const body = { entry: rec.entry, signature: rec.signature, leafHash: rec.leafHash };
    await writeFile(
      path.join(this.dir, 'entries', `${i}.json`),
      `${JSON.stringify(body, null, 2)}\n`,
    );
  }
}
