import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { ConfigOverrides } from '../../server/config.ts';

export interface TestApp {
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/** Builds the real app on a fresh temp data dir (SQLite + blobs); no ports. */
export async function buildTestApp(config: ConfigOverrides = {}): Promise<TestApp> {
  const dataDir = config.dataDir ?? mkdtempSync(path.join(tmpdir(), 'flagstone-test-'));
  const app = await buildApp({ config: { dataDir, durableCommits: false, ...config } });
  return {
    app,
    dataDir,
    close: async () => {
      await app.close();
      if (!config.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
