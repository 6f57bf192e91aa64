import { describe, expect, it } from 'vitest';
import { flagCommitment, sealedRoot, toHex, stateRoot } from '../../ledger/index.ts';
import {
  classifyAudit,
  perturbState,
  planFlags,
  reveal,
  verifyReveal,
} from '../../prover/flags.ts';
import { u32Scalar } from '../../prover/train/state.ts';
import { SALT } from './helpers.ts';

describe('flags (DESIGN §5)', () => {
  it('plans flags from the salt, never at entry 0, and commits to them', () => {
    const plan = planFlags({ entryCount: 41, count: 3, salt: SALT });
    expect(plan.indices).toHaveLength(3);
    expect(plan.indices.every((i) => i >= 1 && i <= 40)).toBe(true);
    expect(plan).toEqual(planFlags({ entryCount: 41, count: 3, salt: SALT }));
    expect(plan.commitment).toBe(flagCommitment(SALT, plan.indices));
    expect(planFlags({ entryCount: 41 }).indices).toHaveLength(2); // ⌈5 % of 40⌉
    expect(planFlags({ entryCount: 1 }).indices).toEqual([]);
  });

  it('perturbs one element of every weight tensor by one ulp, deterministically', () => {
    const w = Float32Array.from({ length: 50 }, (_, i) => i / 7 + 1);
    const tensors = [
      { name: 'params/w', dtype: 'float32' as const, shape: [50], data: new Uint8Array(w.buffer) },
      u32Scalar('train/step', 3),
    ];
    const p = perturbState(tensors, SALT, 5);
    const got = new Float32Array(p[0]!.data.slice().buffer);
    const changed = [...got.keys()].filter((i) => got[i] !== w[i]);
    expect(changed).toHaveLength(1);
    const i = changed[0]!;
    expect(Math.abs(got[i]! - w[i]!)).toBeLessThanOrEqual(Math.abs(w[i]!) * 2 ** -23);
    expect(p[1]).toBe(tensors[1]);
    expect(toHex(stateRoot(perturbState(tensors, SALT, 5)))).toBe(toHex(stateRoot(p)));
    expect(toHex(stateRoot(perturbState(tensors, SALT, 6)))).not.toBe(toHex(stateRoot(p)));
  });

  it('classifies audits: consistent, captured flag, fraud', () => {
    const plan = planFlags({ entryCount: 10, count: 2, salt: SALT });
    const flagged = plan.indices[0]!;
    const plain = [...Array(10).keys()].find((i) => i > 0 && !plan.indices.includes(i))!;
    const trueRoot = 'aa'.repeat(32);
    const shown = 'bb'.repeat(32);
    const r = reveal(plan);
    const flagEntry = {
      index: flagged,
      stateRoot: shown,
      sealedRoot: sealedRoot(SALT, flagged, trueRoot),
    };
    expect(classifyAudit(flagEntry, shown, r)).toBe('consistent'); // a lazy verifier: loses stake
    expect(classifyAudit(flagEntry, trueRoot, r)).toBe('flag-captured');
    expect(classifyAudit(flagEntry, 'cc'.repeat(32), r)).toBe('fraud');
    const plainEntry = {
      index: plain,
      stateRoot: shown,
      sealedRoot: sealedRoot(SALT, plain, trueRoot),
    };
    expect(classifyAudit(plainEntry, trueRoot, r)).toBe('fraud'); // a mismatch that is not a flag
    expect(() => verifyReveal({ salt: SALT, indices: [plain] }, plan.commitment)).toThrow(
      /opens commitment/,
    );
  });
});
