/**
 * `npm run bench:prover`: the cost of recording (issue 4 "Measure").
 *
 * For mlp (flights-20k) and charlm (movie titles) on the cpu and wasm backends, in one process:
 * - baseline: plain tfjs training — Trainer.init and `steps` optimizer steps, no snapshots,
 *   yielding to the event loop after each step as tfjs' own fit loop does (and as the recorded
 *   loop does: without it V8 defers work until the loop turns and a long synchronous loop runs
 *   10–30 % slower on wasm, which would flatter the recorded run);
 * - recorded: the same run through `train()` with an entry every k = 10 and k = 100 steps: state
 *   snapshots, full-state serialisation and SHA-256 state roots, the flag perturbation for a
 *   flagged entry, EIP-712 signatures, and the entry handed to a sink.
 * Runs are interleaved (baseline, k=10, k=100, baseline, …) so drift from other load on the
 * machine hits all three alike; figures are medians of the repeats. overhead =
 * 1 − stepsPerSec / baselineStepsPerSec. The sink is in-process (it counts bytes and keeps the
 * last few entries for the replay measurement); `--http` instead posts every state and entry to
 * a real service started as a child process (`tsx server/server.ts`).
 * replayStepsPerSec: replaySegment over recorded k = 10 segments (restore + steps + state root).
 * Writes bench/results/prover.json and prints the table. Env: BENCH_REPEATS (default 3; the
 * short mlp runs are repeated 2·BENCH_REPEATS + 1 times, since they are more exposed to noise).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagstoneClient, HttpSink, commitFlags, openJobRequest } from '../prover/client/index.ts';
import { loadData, type LoadedData } from '../prover/data/index.ts';
import { useBackend } from '../prover/env.ts';
import { planFlags } from '../prover/flags.ts';
import { replaySegment } from '../prover/replay.ts';
import { signerFromKey } from '../prover/signer.ts';
import { parseSpec, type BackendName, type JobSpec } from '../prover/spec.ts';
import type { EntrySink, RecordedEntry } from '../prover/train/recorder.ts';
import { train } from '../prover/train/session.ts';
import { Trainer } from '../prover/train/trainer.ts';
import { median, round } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'bench/results/prover.json');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const USE_HTTP = process.argv.includes('--http');
const trainer = signerFromKey('22'.repeat(32));
const client = signerFromKey('11'.repeat(32));
const DOMAIN = { chainId: 31337 };

const MODELS = {
  mlp: {
    spec: {
      model: { kind: 'mlp', hidden: [64, 64] },
      batchSize: 64,
      data: { dataset: 'flights-20k' },
    },
    steps: { cpu: 500, wasm: 1000 },
  },
  charlm: {
    spec: {
      model: { kind: 'charlm', context: 32, dModel: 32, heads: 2, layers: 2, ffHidden: 64 },
      batchSize: 16,
      data: { dataset: 'movies' },
    },
    steps: { cpu: 100, wasm: 200 },
  },
} as const;

function specFor(model: keyof typeof MODELS, backend: BackendName, k: number): JobSpec {
  const m = MODELS[model];
  return parseSpec({
    ...m.spec,
    optimizer: { kind: 'adam', learningRate: 0.003 },
    steps: m.steps[backend as 'cpu' | 'wasm'],
    checkpointInterval: k,
    seed: 7,
    backend,
  });
}

/** Counts what it is given; keeps the last `keep` entries (for the replay measurement). */
class CountingSink implements EntrySink {
  bytes = 0;
  readonly kept: RecordedEntry[] = [];
  constructor(private readonly keep: number) {}
  async append(rec: RecordedEntry): Promise<void> {
    this.bytes += rec.stateBlob.length;
    this.kept.push(rec);
    if (this.kept.length > this.keep) this.kept.shift();
  }
}

async function baseline(spec: JobSpec, data: LoadedData): Promise<number> {
  const began = performance.now();
  const t = Trainer.init(spec, data);
  for (let i = 0; i < spec.steps; i++) {
    t.trainStep();
    await new Promise<void>((r) => setImmediate(r));
  }
  await t.loss(); // wait for the device
  const sec = (performance.now() - began) / 1000;
  t.dispose();
  return spec.steps / sec;
}

async function recorded(
  spec: JobSpec,
  data: LoadedData,
  api?: FlagstoneClient,
): Promise<{ stepsPerSec: number; sink: CountingSink }> {
  const flags = planFlags({ entryCount: Math.ceil(spec.steps / spec.checkpointInterval) + 1 });
  const sink = new CountingSink(4);
  let jobId = 'ab'.repeat(32);
  let target: EntrySink = sink;
  if (api) {
    const job = await api.openJob(openJobRequest(client, trainer.address, spec, DOMAIN));
    jobId = job.jobId;
    await commitFlags(api, trainer, DOMAIN, jobId, flags);
    const http = new HttpSink(api, trainer);
    target = { append: async (rec) => (await http.append(rec), sink.append(rec)) };
  }
  const began = performance.now();
  await train({ spec, jobId, sink: target, signer: trainer, domain: DOMAIN, flags, data });
  return { stepsPerSec: spec.steps / ((performance.now() - began) / 1000), sink };
}

async function startService(): Promise<{ api: FlagstoneClient; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flagstone-bench-'));
  const child = spawn('npx', ['tsx', 'server/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      FLAGSTONE_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      FLAGSTONE_SYNCHRONOUS: 'normal',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
  return { api: new FlagstoneClient(url), child, dir };
}

interface Run {
  model: string;
  backend: string;
  k: number;
  baselineStepsPerSec: number;
  stepsPerSec: number;
  overhead: number;
}

async function main(): Promise<void> {
  const service = USE_HTTP ? await startService() : undefined;
  const runs: Run[] = [];
  const replayStepsPerSec: Record<string, number> = {};
  try {
    for (const backend of ['cpu', 'wasm'] as BackendName[]) {
      await useBackend(backend);
      for (const model of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
        const spec10 = specFor(model, backend, 10);
        const spec100 = specFor(model, backend, 100);
        const data = loadData(spec10.data, spec10.model);
        await baseline({ ...spec10, steps: 5 }, data); // warm-up: kernels, allocator
        const base: number[] = [];
        const k10: number[] = [];
        const k100: number[] = [];
        let last: CountingSink | undefined;
        const repeats = model === 'mlp' ? 2 * REPEATS + 1 : REPEATS;
        for (let r = 0; r < repeats; r++) {
          base.push(await baseline(spec10, data));
          const a = await recorded(spec10, data, service?.api);
          k10.push(a.stepsPerSec);
          last = a.sink;
          k100.push((await recorded(spec100, data, service?.api)).stepsPerSec);
          process.stderr.write(
            `  ${model}/${backend} repeat ${r + 1}/${repeats}: ${round(base.at(-1)!, 1)} | ${round(k10.at(-1)!, 1)} | ${round(k100.at(-1)!, 1)} steps/s\n`,
          );
        }
        const b = median(base);
        for (const [k, xs] of [
          [10, k10],
          [100, k100],
        ] as const) {
          const s = median(xs);
          runs.push({
            model,
            backend,
            k,
            baselineStepsPerSec: round(b, 2),
            stepsPerSec: round(s, 2),
            overhead: round(1 - s / b, 4),
          });
        }
        const kept = last!.kept;
        const replay: number[] = [];
        for (let i = 1; i < kept.length; i++) {
          const r = await replaySegment({
            spec: spec10,
            start: kept[i - 1]!.entry,
            end: kept[i]!.entry,
            startState: kept[i - 1]!.stateBlob,
            data,
          });
          if (!r.matches && !kept[i]!.flagged)
            throw new Error(`bench replay of entry ${kept[i]!.entry.index} did not reproduce`);
          replay.push(r.steps / (r.ms / 1000));
        }
        replayStepsPerSec[`${model}/${backend}`] = round(median(replay), 2);
      }
    }
  } finally {
    service?.child.kill('SIGTERM');
    if (service) rmSync(service.dir, { recursive: true, force: true });
  }
  const result = {
    generatedAt: new Date().toISOString(),
    sink: USE_HTTP ? 'http (local service, child process)' : 'in-process',
    repeats: REPEATS,
    runs,
    replayStepsPerSec,
  };
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`model   backend  k    baseline steps/s  recorded steps/s  overhead`);
  for (const r of runs) {
    console.log(
      `${r.model.padEnd(7)} ${r.backend.padEnd(8)} ${String(r.k).padEnd(4)} ${String(r.baselineStepsPerSec).padStart(16)}  ${String(r.stepsPerSec).padStart(16)}  ${(r.overhead * 100).toFixed(1).padStart(7)} %`,
    );
  }
  console.log('replay steps/s:', replayStepsPerSec);
  console.log(`wrote ${path.relative(root, OUT)} (sink: ${result.sink})`);
}

await main();
