/**
 * Bit-exact replay on the cpu backend (issue 4 "Must hold"): honest segments reproduce; a start
 * state with altered optimizer slots, RNG state, data cursor or order, and a cheater with another
 * learning rate or architecture, do not; a flagged entry is caught and validated as a flag after
 * reveal, while a non-flag mismatch is fraud.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addressOfPublicKey,
  domainSeparator,
  entryDigest,
  parseSignature,
  recoverPublicKey,
  signedEntryLeafHash,
  ZERO_HASH,
  type NamedTensor,
} from '../../ledger/index.ts';
import { loadData } from '../../prover/data/index.ts';
import { classifyAudit, planFlags, reveal } from '../../prover/flags.ts';
import { replaySegment, runSegment } from '../../prover/replay.ts';
import { parseSpec, type JobSpec } from '../../prover/spec.ts';
import { decodeStateBlob, encodeStateBlob } from '../../prover/train/blob.ts';
import type { RecordedEntry } from '../../prover/train/recorder.ts';
import { train } from '../../prover/train/session.ts';
import { MemorySink } from '../../prover/train/sinks.ts';
import { DOMAIN, JOB_ID, SALT, charSpec, mlpSpec, trainer } from './helpers.ts';

async function record(spec: JobSpec, flagCount: number) {
  const sink = new MemorySink();
  const flags = planFlags({
    entryCount: Math.ceil(spec.steps / spec.checkpointInterval) + 1,
    count: flagCount,
    salt: SALT,
  });
  await train({ spec, jobId: JOB_ID, sink, signer: trainer, domain: DOMAIN, flags });
  return { entries: sink.entries, flags };
}

/** Adds `delta` to every float32 element (a one-bit flip of a zero or a dead unit can wash out). */
const shiftF32 = (delta: number) => (d: Uint8Array) => {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  for (let i = 0; i < d.length; i += 4) v.setFloat32(i, v.getFloat32(i, true) + delta, true);
};

/** The start blob of segment i with one tensor's bytes edited. */
function alter(rec: RecordedEntry, name: string, edit: (d: Uint8Array) => void): Uint8Array {
  const tensors = decodeStateBlob(rec.stateBlob).tensors.map((t): NamedTensor => {
    if (t.name !== name) return t;
    const data = t.data.slice();
    edit(data);
    return { ...t, data };
  });
  return encodeStateBlob(tensors).bytes;
}

describe('mlp, SGD-momentum, cpu', () => {
  const spec = mlpSpec('cpu', { steps: 16 });
  let entries: RecordedEntry[];
  let flagged: number;
  let plain: number;
  let flagsPlan: ReturnType<typeof planFlags>;

  beforeAll(async () => {
    ({ entries, flags: flagsPlan } = await record(spec, 1));
    flagged = flagsPlan.indices[0]!;
    // A segment that starts mid-epoch: at entry 0 no epoch is drawn yet, so the cursor and order
    // there are overwritten by the first step whatever their value.
    plain = [2, 3, 4].find((i) => i !== flagged && i - 1 !== flagged)!;
  });

  const replay = (i: number, startState = entries[i - 1]!.stateBlob, s: JobSpec = spec) =>
    replaySegment({
      spec: s,
      start: entries[i - 1]!.entry,
      end: entries[i]!.entry,
      startState,
      claimed: entries[i]!.stateBlob,
    });

  it('signs a linked chain of entries with the trainer key', () => {
    expect(entries.map((e) => e.entry.step)).toEqual([0, 4, 8, 12, 16]);
    const sep = domainSeparator(DOMAIN);
    entries.forEach((e, i) => {
      const pub = recoverPublicKey(entryDigest(sep, e.entry), parseSignature(e.signature));
      expect(addressOfPublicKey(pub)).toBe(trainer.address);
      expect(e.entry.prevLeaf).toBe(i === 0 ? ZERO_HASH : entries[i - 1]!.leafHash);
      expect(e.leafHash).toBe(signedEntryLeafHash(e.entry, e.signature));
    });
    // FLOPs: 16 × 2 × (5·8 + 8·3) forward, × 3 with the backward pass, × 4 steps.
    expect(entries[1]!.entry.flops).toBe(String(16 * 2 * (5 * 8 + 8 * 3) * 3 * 4));
    expect(entries[0]!.entry.flops).toBe('0');
  });

  it('replays every honest segment bit-exactly (state root and batch root)', async () => {
    for (let i = 1; i < entries.length; i++) {
      const r = await replay(i);
      expect(r.root).toBe(entries[i]!.trueStateRoot);
      expect(r.batchMatches).toBe(true);
      expect(r.firstDifference).toBeUndefined();
      expect(r.matches).toBe(i !== flagged);
      expect(r.startMatches).toBe(i - 1 !== flagged);
    }
  });

  it('does not reproduce from altered optimizer slots, RNG state, data cursor or data order', async () => {
    const start = entries[plain - 1]!;
    const cases: [string, (d: Uint8Array) => void, RegExp][] = [
      ['opt/mlp/dense00/kernel/momentum', shiftF32(1e-3), /^opt\//],
      ['rng/state', (d) => void (d[0]! ^= 1), /./],
      ['data/cursor', (d) => void (d[0]! -= 1), /./],
      ['data/order', (d) => d.copyWithin(0, 4, 8), /./],
    ];
    for (const [name, edit, firstName] of cases) {
      const r = await replay(plain, alter(start, name, edit));
      expect(r.matches, name).toBe(false);
      expect(r.startMatches).toBe(false);
      expect(r.firstDifference?.name, name).toMatch(firstName);
    }
    const cursor = await replay(
      plain,
      alter(start, 'data/cursor', (d) => void (d[0]! -= 1)),
    );
    expect(cursor.batchMatches).toBe(false);
  });

  it('does not reproduce a segment trained with another learning rate, batch or architecture', async () => {
    const data = loadData(spec.data, spec.model);
    const from = decodeStateBlob(entries[plain - 1]!.stateBlob).tensors;
    const [s0, s1] = [entries[plain - 1]!.entry.step, entries[plain]!.entry.step];
    const honest = await runSegment(spec, data, from, s0, s1);
    expect(honest.commitment.root).toBe(entries[plain]!.trueStateRoot);
    const lr = await runSegment(
      parseSpec({ ...spec, optimizer: { ...spec.optimizer, learningRate: 0.051 } }),
      data,
      from,
      s0,
      s1,
    );
    expect(lr.commitment.root).not.toBe(honest.commitment.root);
    const batch = await runSegment(parseSpec({ ...spec, batchSize: 15 }), data, from, s0, s1);
    expect(batch.commitment.root).not.toBe(honest.commitment.root);
    expect(batch.batchRoot).not.toBe(entries[plain]!.entry.batchRoot);
    const wider = parseSpec({ ...spec, model: { kind: 'mlp', hidden: [9] } });
    await expect(runSegment(wider, data, from, s0, s1)).rejects.toThrow(
      /params\/mlp\/dense00\/bias: shape \[8\], want \[9\]/,
    );
  });

  it('catches a flagged entry and validates it as a flag after reveal; a non-flag mismatch is fraud', async () => {
    const r = await replay(flagged);
    expect(r.matches).toBe(false);
    expect(classifyAudit(entries[flagged]!.entry, r.root, reveal(flagsPlan))).toBe('flag-captured');
    const forged = await replay(
      plain,
      alter(entries[plain - 1]!, 'opt/mlp/dense00/kernel/momentum', shiftF32(1e-3)),
    );
    expect(classifyAudit(entries[plain]!.entry, forged.root, reveal(flagsPlan))).toBe('fraud');
    const honest = await replay(plain);
    expect(classifyAudit(entries[plain]!.entry, honest.root, reveal(flagsPlan))).toBe('consistent');
  });

  it('refuses to replay against another spec or a non-adjacent pair', async () => {
    const other = parseSpec({ ...spec, seed: 43 });
    await expect(replay(1, entries[0]!.stateBlob, other)).rejects.toThrow(/spec hash/);
    await expect(
      replaySegment({
        spec,
        start: entries[0]!.entry,
        end: entries[2]!.entry,
        startState: entries[0]!.stateBlob,
      }),
    ).rejects.toThrow(/not adjacent/);
  });
});

describe('tensor hygiene', () => {
  it('a trainer and a recorded run release every tensor they allocate', async () => {
    const tf = await import('@tensorflow/tfjs');
    const spec = mlpSpec('cpu');
    await record(spec, 0); // warm-up: backend and kernel constants
    const before = tf.memory().numTensors;
    await record(spec, 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('charlm, Adam, cpu', () => {
  it('replays honestly and rejects an altered Adam β₁ᵗ', async () => {
    const spec = charSpec('cpu');
    const { entries } = await record(spec, 0);
    expect(entries).toHaveLength(3);
    for (let i = 1; i < entries.length; i++) {
      const r = await replaySegment({
        spec,
        start: entries[i - 1]!.entry,
        end: entries[i]!.entry,
        startState: entries[i - 1]!.stateBlob,
      });
      expect(r.matches).toBe(true);
    }
    const bad = alter(entries[1]!, 'opt/beta1_power', (d) => {
      const v = new DataView(d.buffer, d.byteOffset);
      v.setFloat64(0, v.getFloat64(0, true) * 0.99, true);
    });
    const r = await replaySegment({
      spec,
      start: entries[1]!.entry,
      end: entries[2]!.entry,
      startState: bad,
      claimed: entries[2]!.stateBlob,
    });
    expect(r.matches).toBe(false);
    expect(r.firstDifference?.name).toBe('opt/beta1_power');
  });
});
