/**
 * Honest replay reproduces every entry bit-exactly in a second, separate process, on cpu and
 * wasm, and on webgpu where an adapter exists (required when CI=true: CI installs Mesa, see
 * docs/prover.md). The parent trains and records to a directory; a child `tsx` process replays.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuAvailable } from '../../prover/env.ts';
import { planFlags } from '../../prover/flags.ts';
import { writeJobMeta } from '../../prover/offline.ts';
import type { BackendName, JobSpec } from '../../prover/spec.ts';
import { train } from '../../prover/train/session.ts';
import { DirectorySink, MemorySink } from '../../prover/train/sinks.ts';
import { DOMAIN, JOB_ID, SALT, charSpec, mlpSpec, trainer } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function runChild(
  dir: string,
): Promise<{ root: string; matches: boolean; batchMatches: boolean }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'test/prover/fixtures/replay-dir.ts', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`replay child exited ${code}: ${err.slice(-2000)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

async function recordToDir(spec: JobSpec) {
  const dir = await mkdtemp(path.join(tmpdir(), `flagstone-${spec.backend}-`));
  dirs.push(dir);
  const flags = planFlags({
    entryCount: Math.ceil(spec.steps / spec.checkpointInterval) + 1,
    count: 1,
    salt: SALT,
  });
  await writeJobMeta(dir, {
    jobId: JOB_ID,
    trainer: trainer.address,
    domain: DOMAIN,
    flagCommitment: flags.commitment,
    spec,
  });
  const memory = new MemorySink();
  const disk = new DirectorySink(dir);
  await train({
    spec,
    jobId: JOB_ID,
    signer: trainer,
    domain: DOMAIN,
    flags,
    sink: { append: async (rec) => (await memory.append(rec), disk.append(rec)) },
  });
  return { dir, entries: memory.entries, flags };
}

async function expectReproduced(spec: JobSpec) {
  const { dir, entries, flags } = await recordToDir(spec);
  const replayed = await runChild(dir);
  expect(replayed).toHaveLength(entries.length - 1);
  replayed.forEach((r, j) => {
    const i = j + 1;
    expect(r.root, `entry ${i}`).toBe(entries[i]!.trueStateRoot);
    expect(r.batchMatches).toBe(true);
    expect(r.matches).toBe(!flags.indices.includes(i));
  });
  return entries;
}

const gpu = await webgpuAvailable();
const requireGpu = process.env.CI === 'true';

describe('bit-exact replay in a separate process', () => {
  const w0: Record<string, string> = {};
  for (const backend of ['cpu', 'wasm'] as BackendName[]) {
    it(`${backend}: mlp (SGD-momentum, augmentation noise) and charlm (Adam)`, async () => {
      const m = await expectReproduced(mlpSpec(backend));
      await expectReproduced(charSpec(backend));
      w0[backend] = m[0]!.entry.stateRoot;
    });
  }

  it('W0 (entry 0) is the same on every backend: it comes from the public seed alone', () => {
    expect(w0.cpu).toMatch(/^[0-9a-f]{64}$/);
    expect(w0.wasm).toBe(w0.cpu);
  });

  it.skipIf(!gpu && !requireGpu)(
    `webgpu: mlp and charlm${gpu ? '' : ' (skipped: no WebGPU adapter; install Mesa, see docs/prover.md)'}`,
    async () => {
      expect(gpu, 'CI=true requires a WebGPU adapter (Mesa llvmpipe via Dawn/OpenGL ES)').toBe(
        true,
      );
      await expectReproduced(mlpSpec('webgpu'));
      await expectReproduced(charSpec('webgpu'));
    },
  );
});
