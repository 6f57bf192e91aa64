/**
 * The demo, end to end (README "Quick start"): chain → service → job → training → anchoring →
 * audit → invoice → royalties → shutdown. One function per phase lives in this folder; this
 * file runs them in order and always shuts down what it started (service, Hardhat node, temp
 * data dir), also after a failure.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ChainConnection } from '../../chain/index.ts';
import { loadData } from '../../prover/data/index.ts';
import { castOf } from './accounts.ts';
import { checkAnchoring } from './anchoring.ts';
import { runAudit } from './audit.ts';
import { startChain } from './chain.ts';
import { checkInvoice } from './invoice.ts';
import { demoSpec, openJob, type JobOptions } from './job.ts';
import { Narrator, type Writer } from './narrator.ts';
import { DEFAULT_POOL, payRoyalties } from './royalties.ts';
import { startService } from './service.ts';
import { printSummary, summaryJson, type DemoResults } from './summary.ts';
import { runTraining } from './training.ts';

export interface DemoOptions extends JobOptions {
  /** Keep the service's database, blobs and key here (default: a temp dir, removed at the end). */
  readonly dataDir?: string;
  readonly valuationSteps: number;
  readonly pool?: bigint;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  steps: 200,
  interval: 10,
  flags: 2,
  auditFraction: 0.1,
  auditConfidence: 0.95,
  valuationSteps: 100,
};

/** Runs every phase; returns the machine-readable summary. Throws after cleaning up on failure. */
export async function runDemo(o: DemoOptions, narrative: Writer): Promise<Record<string, unknown>> {
  const say = new Narrator(narrative);
  say.raw(
    'Flagstone demo: verifiable outsourced training, from escrow to royalties, on a local chain.\n',
  );
  const keep = o.dataDir !== undefined;
  const dataDir = keep
    ? path.resolve(o.dataDir!)
    : mkdtempSync(path.join(tmpdir(), 'flagstone-demo-'));
  if (keep) mkdirSync(dataDir, { recursive: true });
  let chain: ChainConnection | undefined;
  let app: FastifyInstance | undefined;
  // Best effort after a failure or an interrupt: never leave a Hardhat node or a service behind.
  const cleanup = async () => {
    const [a, c] = [app, chain];
    app = chain = undefined;
    await a?.close().catch(() => undefined);
    await c?.close().catch(() => undefined);
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    narrative.write(`\ninterrupted (${signal}): shutting down\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const chainPhase = await startChain(say, dataDir);
    chain = chainPhase.chain;
    const svc = await startService(say, chain, dataDir);
    app = svc.app;

    const spec = demoSpec(o);
    const owners = loadData(spec.data, spec.model).allOwners;
    const cast = castOf(chain.provider, owners);
    const job = await openJob(say, o, chain, svc, cast);
    const training = await runTraining(say, job, svc, cast, chain);
    const anchoring = await checkAnchoring(say, job, svc, chain);
    const audit = await runAudit(say, job, svc, chain, cast, anchoring, training);
    const invoice = await checkInvoice(say, job, svc, training, audit, cast.client.signer);
    const royalties = await payRoyalties(
      say,
      { valuationSteps: o.valuationSteps, pool: o.pool ?? DEFAULT_POOL },
      svc,
      chain,
      cast,
    );

    const results: DemoResults = {
      chain: chainPhase,
      job,
      training,
      anchoring,
      audit,
      invoice,
      royalties,
    };
    say.phase(9, 'Shutdown');
    await shutdown(say, app, chain, dataDir, keep);
    app = undefined;
    chain = undefined;
    const runtimeMs = say.totalMs();
    printSummary(say, results, runtimeMs);
    return summaryJson(results, runtimeMs);
  } catch (e) {
    await cleanup();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function shutdown(
  say: Narrator,
  app: FastifyInstance,
  chain: ChainConnection,
  dataDir: string,
  keep: boolean,
): Promise<void> {
  await app.close();
  say.ok('service closed (anchoring worker stopped, appends drained, database closed)');
  const pid = chain.localChain?.pid;
  await chain.close();
  say.ok(pid ? `Hardhat node (pid ${pid}) stopped` : 'chain connection closed');
  if (keep) {
    say.ok(`data kept in ${dataDir}`);
  } else {
    rmSync(dataDir, { recursive: true, force: true });
    say.ok(`temporary data dir removed (${dataDir}); use --data-dir to keep it`);
  }
}
