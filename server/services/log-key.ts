/**
 * The log operator's Ed25519 checkpoint key: a 32-byte seed kept in <dataDir>/log-key.seed
 * (mode 0600), created once atomically. Losing it means new checkpoints carry a new key.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import path from 'node:path';
import { signerFromSeed, type NoteSigner } from '../../ledger/index.ts';

export function loadOrCreateLogKey(dataDir: string, keyName: string): NoteSigner {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'log-key.seed');
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  }
  const seed = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (seed.length !== 32) throw new Error(`${file} must hold a 32-byte hex seed`);
  return signerFromSeed(keyName, seed);
}
