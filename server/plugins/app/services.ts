/**
 * Opens the service's adapters (database, blob store, log key) and its domain services, and
 * exposes them as `app.flagstone`. On close it drains queued appends before disconnecting, so a
 * graceful shutdown never drops an entry it already accepted.
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from '../../config.ts';
import { openDatabase, type Db } from '../../persistence/database.ts';
import { BlobStore } from '../../services/blob-store.ts';
import { loadOrCreateLogKey } from '../../services/log-key.ts';
import { JobLog } from '../../services/job-log.ts';
import { PrismaAppendStore, SqliteAppendStore } from '../../persistence/append-store.ts';
import { JobService } from '../../services/jobs.ts';
import type { NoteSigner } from '../../../ledger/index.ts';

export interface FlagstoneServices {
  readonly config: ServiceConfig;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly signer: NoteSigner;
  readonly log: JobLog;
  readonly jobs: JobService;
}

declare module 'fastify' {
  interface FastifyInstance {
    flagstone: FlagstoneServices;
  }
}

async function services(app: FastifyInstance, opts: { config: ServiceConfig }): Promise<void> {
  const { config } = opts;
  const db = await openDatabase({ url: config.databaseUrl, durableCommits: config.durableCommits });
  const signer = loadOrCreateLogKey(config.dataDir, config.logName);
  const domain = {
    chainId: config.chainId,
    ...(config.verifyingContract ? { verifyingContract: config.verifyingContract } : {}),
  };
  const store = config.databaseUrl.startsWith('file:')
    ? new SqliteAppendStore(config.databaseUrl.slice('file:'.length), config.durableCommits)
    : new PrismaAppendStore(db);
  const log = new JobLog(db, store, signer, config.logName, domain);
  const blobs = new BlobStore(path.join(config.dataDir, 'blobs'), config.maxBlobBytes);
  app.decorate('flagstone', { config, db, blobs, signer, log, jobs: new JobService(db, log) });
  app.addHook('onClose', async () => {
    await log.drain();
    await store.close();
    await db.$disconnect();
  });
}

export default fp(services, { name: 'flagstone-services', fastify: '5.x' });
