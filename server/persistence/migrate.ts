/**
 * Applies prisma/migrations/<name>/migration.sql in name order, once each, recording them in
 * `_flagstone_migrations`. Migrations are authored with `prisma migrate diff` (see docs); applying
 * them here keeps start-up free of the Prisma CLI and of any engine download.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { PrismaClient } from '../../node_modules/.prisma/flagstone/index.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface Migration {
  readonly name: string;
  readonly statements: string[];
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => ({
      name,
      statements: splitStatements(readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')),
    }));
}

/** Splits generated SQL on statement-ending semicolons (generated DDL has no procedural bodies). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

export async function applyMigrations(db: PrismaClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS "_flagstone_migrations" ("name" TEXT NOT NULL PRIMARY KEY, "appliedAt" TEXT NOT NULL)',
  );
  const done = new Set(
    (
      await db.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_flagstone_migrations"')
    ).map((r) => r.name),
  );
  const applied: string[] = [];
  for (const m of readMigrations(dir)) {
    if (done.has(m.name)) continue;
    await db.$transaction([
      ...m.statements.map((s) => db.$executeRawUnsafe(s)),
      db.$executeRawUnsafe(
        'INSERT INTO "_flagstone_migrations" ("name", "appliedAt") VALUES (?, ?)',
        m.name,
        new Date().toISOString(),
      ),
    ]);
    applied.push(m.name);
  }
  return applied;
}
