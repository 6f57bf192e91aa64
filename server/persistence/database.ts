/**
 * Opens the Prisma client on a driver adapter (no native engine): better-sqlite3 for `file:` URLs.
 * SQLite runs in WAL mode; with durable commits (default) every transaction is fsynced before it
 * resolves, so an acknowledged write survives a crash of the process or the machine.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../node_modules/.prisma/flagstone/index.js';
import { applyMigrations } from './migrate.ts';

export type Db = PrismaClient;
export { PrismaClient };

export interface OpenDatabaseOptions {
  readonly url: string;
  readonly durableCommits: boolean;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (!opts.url.startsWith('file:')) {
    throw new Error(
      `unsupported DATABASE_URL ${JSON.stringify(opts.url)}: this build supports SQLite file: URLs`,
    );
  }
  mkdirSync(path.dirname(opts.url.slice('file:'.length)), { recursive: true });
  const adapter = new PrismaBetterSQLite3({ url: opts.url });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe(`PRAGMA synchronous = ${opts.durableCommits ? 'FULL' : 'NORMAL'}`);
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await applyMigrations(db);
  return db;
}
