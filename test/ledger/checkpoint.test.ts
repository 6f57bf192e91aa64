import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  formatCheckpoint,
  parseCheckpoint,
  parseNote,
  signCheckpoint,
  signerFromSeed,
  verifierKey,
  verifyCheckpoint,
  sha256,
  parseVerifierKey,
} from '../../ledger/index.ts';

const signer = signerFromSeed('flagstone.test', new Uint8Array(32).fill(7));
const vkey = verifierKey(signer.keyName, signer.publicKey);
const cp = {
  origin: 'flagstone.test/job/ab',
  size: 42,
  root: sha256(new TextEncoder().encode('x')),
};

describe('C2SP checkpoints', () => {
  it('formats the three-line body', () => {
    expect(formatCheckpoint(cp)).toBe(
      `flagstone.test/job/ab\n42\n${Buffer.from(cp.root).toString('base64')}\n`,
    );
  });

  it('signs and verifies round-trip', () => {
    const note = signCheckpoint(cp, signer);
    expect(note).toMatch(/\n\n\u2014 flagstone\.test [A-Za-z0-9+/=]+\n$/);
    const got = verifyCheckpoint(note, vkey);
    expect(got.size).toBe(42);
    expect(Buffer.from(got.root).equals(Buffer.from(cp.root))).toBe(true);
  });

  it('rejects a note whose size was edited', () => {
    const note = signCheckpoint(cp, signer).replace('\n42\n', '\n43\n');
    expect(() => verifyCheckpoint(note, vkey)).toThrow(/does not verify/);
  });

  it('rejects a note signed by another key', () => {
    const other = signerFromSeed('flagstone.test', randomBytes(32));
    expect(() => verifyCheckpoint(signCheckpoint(cp, other), vkey)).toThrow(CheckpointError);
  });

  it('rejects malformed bodies', () => {
    expect(() => parseCheckpoint('o\n042\nAAAA\n')).toThrow(/bad size/);
    expect(() => parseCheckpoint('o\n1\nAAAA\n')).toThrow(/want 32/);
    expect(() => parseCheckpoint('o\n1\n')).toThrow(/3 lines/);
    expect(() => parseNote('o\n1\nroot\n')).toThrow(/blank line/);
  });

  it('checks the verifier key id', () => {
    const [name, , key] = vkey.split('+');
    expect(() => parseVerifierKey(`${name}+00000000+${key}`)).toThrow(/key id/);
  });
});

describe('verifier keys whose base64 contains "+"', () => {
  it('parses and verifies', () => {
    for (let seed = 0; seed < 40; seed++) {
      const s = signerFromSeed('k', new Uint8Array(32).fill(seed));
      const v = verifierKey('k', s.publicKey);
      expect(verifyCheckpoint(signCheckpoint(cp, s), v).size).toBe(42);
    }
  });
});
