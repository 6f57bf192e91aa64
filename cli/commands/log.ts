/**
 * `flagstone log …`: offline checks a monitor runs on what the log hands out.
 * Exit codes: 0 valid, 1 invalid (with the reason), 2 unreadable input.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  LedgerError,
  fromHex,
  parseVerifierKey,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../ledger/index.ts';

const hex32 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits');
const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const proofFile = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('inclusion'),
    size,
    index: size,
    leafHash: hex32,
    path: z.array(hex32),
    root: hex32,
  }),
  z.strictObject({
    type: z.literal('consistency'),
    from: size,
    to: size,
    path: z.array(hex32),
    fromRoot: hex32,
    toRoot: hex32,
  }),
]);

class UnreadableInput extends Error {}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreadableInput(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function readProof(file: string): z.infer<typeof proofFile> {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof UnreadableInput) throw e;
    throw new UnreadableInput(`${file} is not JSON: ${(e as Error).message}`);
  }
  const parsed = proofFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UnreadableInput(`${file}: ${issue.path.join('.') || 'proof'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Runs a check and maps outcomes to exit codes; returns the code. */
export function runCheck(check: () => string): number {
  try {
    process.stdout.write(`${check()}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UnreadableInput) {
      process.stderr.write(`unreadable input: ${e.message}\n`);
      return 2;
    }
    if (e instanceof LedgerError) {
      process.stderr.write(`invalid: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

export function verifyProofFile(file: string): string {
  const p = readProof(file);
  const b = (h: string) => fromHex(h.toLowerCase());
  if (p.type === 'inclusion') {
    verifyInclusion(p.index, p.size, b(p.leafHash), p.path.map(b), b(p.root));
    return `valid: leaf ${p.index} is in the tree of size ${p.size} with root ${p.root.toLowerCase()}`;
  }
  verifyConsistency(p.from, p.to, b(p.fromRoot), b(p.toRoot), p.path.map(b));
  return `valid: the tree of size ${p.from} is a prefix of the tree of size ${p.to}`;
}

export function verifyCheckpointFile(file: string, key: string): string {
  try {
    parseVerifierKey(key);
  } catch (e) {
    throw new UnreadableInput(`bad --key: ${(e as Error).message}`);
  }
  const cp = verifyCheckpoint(readText(file), key);
  return `valid: ${cp.origin} size ${cp.size} root ${toHex(cp.root)}`;
}

export function registerLogCommands(program: Command): void {
  const log = program.command('log').description('offline checks of log proofs and checkpoints');
  log
    .command('verify-proof')
    .argument('<file>', 'JSON inclusion or consistency proof')
    .description('check one RFC 9162 proof; exit 0 valid, 1 invalid, 2 unreadable')
    .action((file: string) => {
      process.exitCode = runCheck(() => verifyProofFile(file));
    });
  log
    .command('verify-checkpoint')
    .argument('<note-file>', 'signed C2SP checkpoint note')
    .requiredOption('--key <vkey>', 'verifier key name+keyid+base64key (GET /v1/log/public-key)')
    .description('check a signed checkpoint note; exit 0 valid, 1 invalid, 2 unreadable')
    .action((file: string, opts: { key: string }) => {
      process.exitCode = runCheck(() => verifyCheckpointFile(file, opts.key));
    });
}
