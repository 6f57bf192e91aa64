/**
 * Jobs kept in a directory (offline `flagstone train --out DIR`, tests across processes):
 *   DIR/job.json            {jobId, trainer, domain, flagCommitment, spec}
 *   DIR/entries/<i>.json    {entry, signature, leafHash}
 *   DIR/states/<i>.bin      true state blob of entry i
 * The flag salt is *not* written here (it stays secret until reveal); `flagstone train` writes
 * it to a separate file the trainer keeps.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EntryFields, FlagstoneDomain } from '../ledger/index.ts';
import { replaySegment, type ReplayResult } from './replay.ts';
import { parseSpec, type JobSpec } from './spec.ts';

export interface JobMeta {
  readonly jobId: string;
  readonly trainer: string;
  readonly domain: FlagstoneDomain;
  readonly flagCommitment: string;
  readonly spec: JobSpec;
}

export interface StoredEntryFile {
  readonly entry: EntryFields;
  readonly signature: string;
  readonly leafHash: string;
}

export async function writeJobMeta(dir: string, meta: JobMeta): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'job.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

export async function readJobDir(
  dir: string,
): Promise<{ meta: JobMeta; entries: StoredEntryFile[] }> {
  const raw = JSON.parse(await readFile(path.join(dir, 'job.json'), 'utf8')) as JobMeta;
  const meta = { ...raw, spec: parseSpec(raw.spec) };
  const names = (await readdir(path.join(dir, 'entries'))).filter((n) => /^\d+\.json$/.test(n));
  const entries = await Promise.all(
    names.map(
      async (n) =>
        JSON.parse(await readFile(path.join(dir, 'entries', n), 'utf8')) as StoredEntryFile,
    ),
  );
  entries.sort((a, b) => a.entry.index - b.entry.index);
  return { meta, entries };
}

export function readState(dir: string, index: number): Promise<Buffer> {
  return readFile(path.join(dir, 'states', `${index}.bin`));
}

/** Replays segments [i−1, i] for the given indices (default: all) of a job directory. */
export async function replayDirectory(
  dir: string,
  indices?: readonly number[],
): Promise<ReplayResult[]> {
  const { meta, entries } = await readJobDir(dir);
  const out: ReplayResult[] = [];
  for (const i of indices ?? entries.slice(1).map((e) => e.entry.index)) {
    const startState = new Uint8Array(await readState(dir, i - 1));
    const claimed = new Uint8Array(await readState(dir, i));
    out.push(
      await replaySegment({
        spec: meta.spec,
        start: entries[i - 1]!.entry,
        end: entries[i]!.entry,
        startState,
        claimed,
      }),
    );
  }
  return out;
}
