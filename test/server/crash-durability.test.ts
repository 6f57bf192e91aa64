/**
 * Durability under kill -9: the real service runs as a child process while several trainers
 * append concurrently and monitors collect checkpoints; it is killed at random moments (24
 * times) and restarted. Every acknowledged (201) entry must be present with its leaf hash, and
 * every later checkpoint must be provably consistent with every checkpoint handed out before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, verifyCheckpoint, verifyConsistency } from '../../ledger/index.ts';
import { EntryChain, openJobRequest, wallet } from '../helpers/actors.ts';
import { spawnServer, type ServerProcess } from '../helpers/server-process.ts';

const KILLS = 24;
const JOBS = 4;
const dataDir = mkdtempSync(path.join(tmpdir(), 'flagstone-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Deterministic xorshift so a failing schedule can be replayed.
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

interface Trainer {
  jobId: string;
  entries: { entry: { index: number }; signature: string; leaf: string }[];
  acked: number; // highest acknowledged size
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of several routes
type Json = any;

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('kill -9 durability', () => {
  it(`keeps every acknowledged entry and stays consistent across ${KILLS} crashes`, async () => {
    const client = wallet(0x41);
    const trainerWallet = wallet(0x42);
    let server: ServerProcess = await spawnServer(dataDir);
    const { vkey } = (await json(`${server.url}/v1/log/public-key`)).body;

    const trainers: Trainer[] = [];
    const chains: EntryChain[] = [];
    for (let j = 0; j < JOBS; j++) {
      const req = await openJobRequest(
        client,
        trainerWallet,
        { job: j },
        j.toString(16).padStart(64, '0'),
      );
      const { body } = await json(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req),
      });
      trainers.push({ jobId: body.jobId, entries: [], acked: 0 });
      chains.push(new EntryChain(body.jobId, body.specHash, trainerWallet));
    }
    // Pre-sign a long deterministic chain per job (the trainer's own record of what it sent).
    for (let j = 0; j < JOBS; j++) {
      for (let i = 0; i < 4000; i++) {
        const e = chains[j]!.next();
        trainers[j]!.entries.push({ entry: e.entry, signature: e.signature, leaf: '' });
      }
    }
    const { signedEntryLeafHash } = await import('../../ledger/index.ts');
    for (const t of trainers)
      for (const e of t.entries) e.leaf = signedEntryLeafHash(e.entry as never, e.signature);

    const handedOut: { jobId: string; size: number; root: string }[] = [];
    let totalAcked = 0;

    for (let round = 0; round <= KILLS; round++) {
      // Resync: the log must hold at least every acknowledged entry, with the same leaves.
      for (const t of trainers) {
        const { body: job } = await json(`${server.url}/v1/jobs/${t.jobId}`);
        expect(job.size, `job ${t.jobId} lost acknowledged entries`).toBeGreaterThanOrEqual(
          t.acked,
        );
        if (job.size > 0) {
          const last = await json(`${server.url}/v1/jobs/${t.jobId}/entries/${job.size - 1}`);
          expect(last.body.leafHash).toBe(t.entries[job.size - 1]!.leaf);
        }
        t.acked = job.size;
      }
      // Every checkpoint handed out before is a prefix of the current one.
      for (const t of trainers) {
        const { body: cp } = await json(`${server.url}/v1/jobs/${t.jobId}/checkpoint`);
        const parsed = verifyCheckpoint(cp.note, vkey);
        expect(parsed.size).toBe(cp.size);
        for (const old of handedOut.filter((h) => h.jobId === t.jobId)) {
          const { body: proof } = await json(
            `${server.url}/v1/jobs/${t.jobId}/proof/consistency?from=${old.size}&to=${cp.size}`,
          );
          verifyConsistency(
            old.size,
            cp.size,
            fromHex(old.root),
            fromHex(cp.rootHex),
            proof.path.map(fromHex),
          );
        }
      }
      if (round === KILLS) break;

      let stop = false;
      const appenders = trainers.map(async (t) => {
        let next = t.acked;
        while (!stop && next < t.entries.length) {
          const e = t.entries[next]!;
          try {
            const res = await fetch(`${server.url}/v1/jobs/${t.jobId}/entries`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ entry: e.entry, signature: e.signature }),
            });
            if (res.status !== 201)
              throw new Error(`append ${next} → ${res.status} ${await res.text()}`);
            const ack = (await res.json()) as { size: number; leafHash: string };
            expect(ack.leafHash).toBe(e.leaf);
            t.acked = Math.max(t.acked, ack.size);
            totalAcked++;
            next++;
          } catch (err) {
            if (stop) return;
            throw err;
          }
        }
      });
      const monitor = (async () => {
        while (!stop) {
          const t = trainers[Math.floor(rand() * JOBS)]!;
          try {
            const { status, body } = await json(`${server.url}/v1/jobs/${t.jobId}/checkpoint`);
            if (status === 200)
              handedOut.push({ jobId: t.jobId, size: body.size, root: body.rootHex });
          } catch {
            return;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 30 + rand() * 400));
      stop = true;
      await server.kill('SIGKILL');
      await Promise.allSettled([...appenders, monitor]);
      server = await spawnServer(dataDir);
    }
    await server.kill('SIGTERM');
    expect(totalAcked).toBeGreaterThan(KILLS * 5);
    expect(handedOut.length).toBeGreaterThan(KILLS);
  }, 240_000);
});
