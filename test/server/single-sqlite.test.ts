/**
 * The service opens the same SQLite file from Prisma's adapter and from the append writer. Two
 * copies of the SQLite library in one process break POSIX advisory locking and lose committed
 * transactions after a crash (sqlite.org/howtocorrupt.html §2.2.1) — this was caught by the
 * kill -9 test. package.json's `overrides` pins the adapter to our better-sqlite3; keep it so.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

describe('one SQLite library per process', () => {
  it("Prisma's adapter resolves the same better-sqlite3 as the append writer", () => {
    const root = createRequire(import.meta.url).resolve('better-sqlite3');
    const adapterRequire = createRequire(
      createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'),
    );
    expect(adapterRequire.resolve('better-sqlite3')).toBe(root);
  });
});
