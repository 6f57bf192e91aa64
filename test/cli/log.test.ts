import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sha256, signCheckpoint, signerFromSeed, verifierKey } from '../../ledger/index.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'flagstone-cli-'));
const bin = path.resolve('bin/flagstone.js');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const vectors = (f: string) => JSON.parse(readFileSync(`test/vectors/${f}`, 'utf8')).vectors;

describe('flagstone log verify-proof', () => {
  const inc = vectors('inclusion.json');
  const con = vectors('consistency.json');
  const validInc = inc.find((v: { name: string }) => v.name === 'valid size=17 index=1');
  const badInc = inc.find((v: { name: string }) => v.name === 'wrong root');
  const validCon = con.find((v: { name: string }) => v.name === 'valid 3->17');
  const forked = con.find((v: { name: string }) => v.name === 'forked old root');

  it('exits 0 for a valid inclusion proof and 1 with the reason for a tampered one', async () => {
    const strip = ({ name: _n, valid: _v, error: _e, ...rest }: Record<string, unknown>) => ({
      type: 'inclusion',
      ...rest,
    });
    const ok = await cli('log', 'verify-proof', file('inc.json', strip(validInc)));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^valid: leaf 1 is in the tree of size 17/);
    const bad = await cli('log', 'verify-proof', file('inc-bad.json', strip(badInc)));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /invalid: root mismatch: calculated [0-9a-f]{64}, want [0-9a-f]{64}/,
    );
  });

  it('exits 0 / 1 for consistency proofs (a fork is rejected)', async () => {
    const strip = ({ name: _n, valid: _v, error: _e, ...rest }: Record<string, unknown>) => ({
      type: 'consistency',
      ...rest,
    });
    expect((await cli('log', 'verify-proof', file('con.json', strip(validCon)))).code).toBe(0);
    const bad = await cli('log', 'verify-proof', file('con-bad.json', strip(forked)));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/old root mismatch/);
  });

  it('exits 2 on unreadable input', async () => {
    expect((await cli('log', 'verify-proof', path.join(dir, 'missing.json'))).code).toBe(2);
    expect((await cli('log', 'verify-proof', file('junk.json', '{not json'))).code).toBe(2);
    const wrongShape = await cli(
      'log',
      'verify-proof',
      file('shape.json', { type: 'inclusion', size: 1 }),
    );
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toMatch(/unreadable input: .*index/);
  });
});

describe('flagstone log verify-checkpoint', () => {
  const signer = signerFromSeed('flagstone.local', new Uint8Array(32).fill(3));
  const vkey = verifierKey(signer.keyName, signer.publicKey);
  const note = signCheckpoint(
    { origin: 'flagstone.local/jobs/x', size: 9, root: sha256(Uint8Array.of(1)) },
    signer,
  );

  it('exits 0 for a valid note, 1 for a tampered one, 2 for a bad key or missing file', async () => {
    const ok = await cli('log', 'verify-checkpoint', file('cp.txt', note), '--key', vkey);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid: flagstone.local\/jobs\/x size 9/);
    expect(
      (
        await cli(
          'log',
          'verify-checkpoint',
          file('cp-bad.txt', note.replace('\n9\n', '\n10\n')),
          '--key',
          vkey,
        )
      ).code,
    ).toBe(1);
    expect(
      (await cli('log', 'verify-checkpoint', file('cp2.txt', note), '--key', 'nonsense')).code,
    ).toBe(2);
    expect(
      (await cli('log', 'verify-checkpoint', path.join(dir, 'nope.txt'), '--key', vkey)).code,
    ).toBe(2);
  });
});
