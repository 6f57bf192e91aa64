/**
 * `flagstone train` and `flagstone replay` (issue 4 item 7).
 *
 *   flagstone train --spec FILE [--server URL] [--job ID] [--out DIR] [--flags N] [--salt-file FILE]
 *   flagstone replay (--dir DIR | --server URL --job ID) [--index I…]
 *
 * Keys come from FLAGSTONE_TRAINER_KEY / FLAGSTONE_CLIENT_KEY (or --trainer-key / --client-key;
 * 32-byte hex). With --server the job is opened on the service (signed by the client key; the
 * trainer's own key when no client key is given, i.e. a self-funded job) unless --job names an
 * open job, flags are committed, and every state and entry is uploaded. Without --server the job
 * is recorded into --out. The flag salt — the trainer's secret until reveal — goes to
 * --salt-file (default: flags-<jobId>.json beside the job directory, or in the working directory).
 * Exit codes: 0 done / all segments consistent, 1 a segment did not reproduce, 2 bad input.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { toHex } from '../../ledger/index.ts';
import {
  FlagstoneClient,
  HttpSink,
  commitFlags,
  jobIdFor,
  openJobRequest,
  replayRemoteSegment,
} from '../../prover/client/index.ts';
import { loadData } from '../../prover/data/index.ts';
import { ProverError } from '../../prover/errors.ts';
import { planFlags, type FlagPlan } from '../../prover/flags.ts';
import { replayDirectory, writeJobMeta } from '../../prover/offline.ts';
import type { ReplayResult } from '../../prover/replay.ts';
import { signerFromKey, type Signer } from '../../prover/signer.ts';
import { entrySteps, parseSpec, specHash, type JobSpec } from '../../prover/spec.ts';
import { evaluate } from '../../prover/train/evaluate.ts';
import type { EntrySink } from '../../prover/train/recorder.ts';
import { train } from '../../prover/train/session.ts';
import { DirectorySink } from '../../prover/train/sinks.ts';

interface TrainFlags {
  spec: string;
  server?: string;
  job?: string;
  out?: string;
  flags?: number;
  saltFile?: string;
  trainerKey?: string;
  clientKey?: string;
  progress: boolean;
}

function parseKey(v: string): string {
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(v))
    throw new InvalidArgumentError('want a 32-byte hex private key');
  return v.replace(/^0x/, '');
}

function readSpec(file: string): JobSpec {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ProverError(
      'FLAGSTONE_ERR_SPEC_INVALID',
      `cannot read spec ${file}: ${(e as Error).message}`,
    );
  }
  return parseSpec(json);
}

function keyOrEphemeral(given: string | undefined, envName: string, who: string): Signer {
  const key = given ?? process.env[envName];
  if (key) return signerFromKey(parseKey(key));
  const ephemeral = signerFromKey(toHex(randomBytes(32)));
  process.stderr.write(
    `note: no ${who} key (--${who}-key or ${envName}); using an ephemeral key ${ephemeral.address}\n`,
  );
  return ephemeral;
}

/** Opens (or joins) the job and commits flags; returns where entries go. */
async function prepareRemote(
  o: TrainFlags,
  spec: JobSpec,
  trainer: Signer,
  plan: (jobId: string) => FlagPlan,
) {
  const api = new FlagstoneClient(o.server!);
  const domain = await api.domain();
  let jobId = o.job;
  if (jobId) {
    const job = await api.job(jobId);
    if (job.trainer !== trainer.address)
      throw new ProverError(
        'FLAGSTONE_ERR_SPEC_INVALID',
        `job ${jobId} names trainer ${job.trainer}, not ${trainer.address}`,
      );
    if (job.specHash !== specHash(spec))
      throw new ProverError(
        'FLAGSTONE_ERR_SPEC_INVALID',
        `spec hash ${specHash(spec)}, job has ${job.specHash}`,
      );
  } else {
    const client =
      o.clientKey || process.env.FLAGSTONE_CLIENT_KEY
        ? keyOrEphemeral(o.clientKey, 'FLAGSTONE_CLIENT_KEY', 'client')
        : trainer;
    jobId = (await api.openJob(openJobRequest(client, trainer.address, spec, domain))).jobId;
  }
  const flags = plan(jobId);
  await commitFlags(api, trainer, domain, jobId, flags);
  return {
    jobId,
    domain,
    flags,
    sink: new HttpSink(api, trainer) as EntrySink,
    where: `${api.baseUrl}/v1/jobs/${jobId}`,
  };
}

async function prepareOffline(
  o: TrainFlags,
  spec: JobSpec,
  trainer: Signer,
  plan: (jobId: string) => FlagPlan,
) {
  const domain = { chainId: 31337 };
  const jobId = jobIdFor(openJobRequest(trainer, trainer.address, spec, domain));
  const dir = path.resolve(o.out ?? `flagstone-job-${jobId.slice(0, 12)}`);
  const flags = plan(jobId);
  await writeJobMeta(dir, {
    jobId,
    trainer: trainer.address,
    domain,
    flagCommitment: flags.commitment,
    spec,
  });
  return { jobId, domain, flags, sink: new DirectorySink(dir) as EntrySink, where: dir };
}

async function runTrain(o: TrainFlags): Promise<void> {
  const spec = readSpec(o.spec);
  const trainer = keyOrEphemeral(o.trainerKey, 'FLAGSTONE_TRAINER_KEY', 'trainer');
  const entryCount = entrySteps(spec).length;
  const plan = (jobId: string) => {
    const flags = planFlags({ entryCount, ...(o.flags !== undefined ? { count: o.flags } : {}) });
    const saltFile = path.resolve(
      o.saltFile ?? (o.out ? `${path.resolve(o.out)}.flags.json` : `flags-${jobId}.json`),
    );
    writeFileSync(saltFile, `${JSON.stringify({ jobId, ...flags }, null, 2)}\n`, { mode: 0o600 });
    process.stderr.write(`flag salt and indices (secret until reveal): ${saltFile}\n`);
    return flags;
  };
  const target = o.server
    ? await prepareRemote(o, spec, trainer, plan)
    : await prepareOffline(o, spec, trainer, plan);
  const bar = new SingleBar({
    format: 'train |{bar}| {value}/{total} steps | loss {loss} | entries {entries}',
    hideCursor: true,
    clearOnComplete: false,
  });
  if (o.progress) bar.start(spec.steps, 0, { loss: '-', entries: 0 });
  const data = loadData(spec.data, spec.model);
  const result = await train({
    spec,
    jobId: target.jobId,
    sink: target.sink,
    signer: trainer,
    domain: target.domain,
    flags: target.flags,
    data,
    keepTrainer: true,
    onProgress: (p) =>
      o.progress &&
      bar.update(p.step, { loss: p.loss?.toFixed(4) ?? '-', entries: p.entriesAppended }),
  });
  if (o.progress) bar.stop();
  const ev = await evaluate(result.trainer!, data.heldOut);
  result.trainer!.dispose();
  const quality =
    ev.accuracy !== undefined
      ? `held-out accuracy ${(ev.accuracy * 100).toFixed(1)} %`
      : `held-out loss ${ev.loss.toFixed(4)} nats/char`;
  process.stdout.write(
    `job ${target.jobId}: ${result.entries} entries, final loss ${result.finalLoss.toFixed(4)}, ${quality}, backend ${spec.backend}\n` +
      `entries at ${target.where}\n`,
  );
}

function report(results: readonly ReplayResult[], indices: readonly number[]): number {
  let bad = 0;
  results.forEach((r, j) => {
    const what = r.matches
      ? 'reproduced'
      : `did not reproduce the entry's stateRoot (computed ${r.root}): a flag or fraud, told apart after reveal`;
    const diff = r.firstDifference ? `; first differing tensor ${r.firstDifference.name}` : '';
    process.stdout.write(
      `segment ${indices[j]! - 1}→${indices[j]}: ${what}${diff} [${r.steps} steps, ${r.ms.toFixed(0)} ms]\n`,
    );
    if (!r.matches) bad++;
  });
  return bad === 0 ? 0 : 1;
}

async function runReplay(o: {
  dir?: string;
  server?: string;
  job?: string;
  index?: number[];
  key?: string;
}): Promise<number> {
  if (o.dir) {
    const { readJobDir } = await import('../../prover/offline.ts');
    const { entries } = await readJobDir(o.dir);
    const indices = o.index ?? entries.slice(1).map((e) => e.entry.index);
    return report(await replayDirectory(o.dir, indices), indices);
  }
  if (!o.server || !o.job || !o.index?.length)
    throw new InvalidArgumentError('use --dir DIR, or --server URL --job ID --index I');
  const reader = keyOrEphemeral(o.key, 'FLAGSTONE_CLIENT_KEY', 'client');
  const api = new FlagstoneClient(o.server);
  const results: ReplayResult[] = [];
  for (const i of o.index) results.push(await replayRemoteSegment(api, o.job, i, reader));
  return report(results, o.index);
}

const parseIndex = (v: string, prev: number[] = []) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`not an entry index ≥ 1: ${v}`);
  return [...prev, n];
};
const parseCount = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`not a count: ${v}`);
  return n;
};

async function guarded(run: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await run()) ?? 0;
  } catch (e) {
    if (e instanceof ProverError || e instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train a job spec with full-state commitments, flags and signed entries')
    .requiredOption('--spec <file>', 'job spec (JSON)')
    .option('--server <url>', 'Flagstone service; omitted: record into --out')
    .option('--job <jobId>', 'an already opened job on the service (default: open one)')
    .option('--out <dir>', 'offline job directory (default: ./flagstone-job-<jobId>)')
    .option(
      '--flags <n>',
      'number of flagged entries (default: 5 % of segments, at least 1)',
      parseCount,
    )
    .option('--salt-file <file>', 'where to keep the flag salt and indices')
    .option(
      '--trainer-key <hex>',
      'trainer private key (default: $FLAGSTONE_TRAINER_KEY)',
      parseKey,
    )
    .option(
      '--client-key <hex>',
      'client private key to open the job (default: $FLAGSTONE_CLIENT_KEY, else the trainer key)',
      parseKey,
    )
    .option('--no-progress', 'no progress bar')
    .action((o: TrainFlags) => guarded(() => runTrain(o)));

  program
    .command('replay')
    .description('replay segments bit-exactly and compare with the logged entries')
    .option('--dir <dir>', 'offline job directory written by `flagstone train --out`')
    .option('--server <url>', 'Flagstone service')
    .option('--job <jobId>', 'job on the service')
    .option('--index <i>', 'entry index i: replay segment i−1→i (repeatable)', parseIndex)
    .option(
      '--key <hex>',
      "reader key: the job's client or trainer (default: $FLAGSTONE_CLIENT_KEY)",
      parseKey,
    )
    .action((o) => guarded(() => runReplay(o)));
}
