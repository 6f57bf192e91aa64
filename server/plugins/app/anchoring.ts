/**
 * Anchors every job's newest signed head on chain (DESIGN §4) with the AnchorWorker from
 * `chain/`: every N entries or T ms, proving consistency from the head last anchored there. A job
 * that nobody opened on chain is opened with anchor-only terms (no escrow, no audits) so its log is
 * still witnessed. Disabled when the service runs without a chain.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import {
  AnchorWorker,
  anchorOnlyTerms,
  type ChainConnection,
  type AnchorRecord,
} from '../../../chain/index.ts';
import { FlagstoneError } from '../../errors.ts';

export interface AnchoringOptions {
  readonly chain?: ChainConnection;
  /** Anchor when this many entries are unanchored (default 64). */
  readonly everyEntries?: number;
  /** …or when the oldest unanchored entry waited this long (default 30 s). */
  readonly everyMs?: number;
  /** Pause between the worker's passes (default 1 s). */
  readonly pollMs?: number;
}

export interface Anchoring {
  readonly enabled: boolean;
  /** Anchors of a job, oldest first, read from the chain's events (the chain is the record). */
  list(jobId: string): Promise<AnchorRecord[]>;
  /** Anchors whatever is due now (tests, shutdown). */
  flush(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    anchoring: Anchoring;
  }
}

async function anchoring(app: FastifyInstance, opts: AnchoringOptions): Promise<void> {
  const { chain } = opts;
  if (!chain) {
    const off = () => {
      throw new FlagstoneError(
        'FLAGSTONE_ERR_UNAVAILABLE',
        'this service runs without a chain; start it with one to anchor heads',
      );
    };
    app.decorate('anchoring', {
      enabled: false,
      list: async () => off(),
      flush: async () => undefined,
    });
    return;
  }
  const { log } = app.flagstone;
  const operator = chain.signer.address;
  const worker = new AnchorWorker({
    ledger: chain.ledger,
    operator,
    source: {
      jobsWithNewHeads: () => log.takeGrownJobs(),
      latestHead: async (jobId) => {
        const { size, rootHex } = await log.checkpoint(jobId);
        return { size, rootHex };
      },
      consistencyProof: (jobId, from, to) => log.consistencyProof(jobId, from, to),
    },
    onUnknownJob: async (jobId) => {
      const job = await log.job(jobId);
      await chain.ledger.openJob(
        jobId,
        anchorOnlyTerms(operator, job.specHash, Math.floor(Date.now() / 1000)),
      );
      return true;
    },
    onError: (jobId, err) =>
      app.log.warn({ jobId, err: err.message }, 'anchoring failed; will retry'),
    ...(opts.everyEntries ? { everyEntries: opts.everyEntries } : {}),
    ...(opts.everyMs ? { everyMs: opts.everyMs } : {}),
    ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
  });
  app.decorate('anchoring', {
    enabled: true,
    list: async (jobId: string) => {
      await log.job(jobId); // 404 for unknown jobs
      return chain.ledger.anchorsOf(jobId);
    },
    flush: () => worker.flush(),
  });
  app.addHook('onReady', async () => worker.start());
  app.addHook('preClose', async () => worker.stop());
}

export default fp(anchoring, {
  name: 'flagstone-anchoring',
  fastify: '5.x',
  dependencies: ['flagstone-services'],
});
