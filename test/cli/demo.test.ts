/**
 * `flagstone demo` end to end, as a user runs it: a child process `node bin/flagstone.js demo
 * --json` starts its own Hardhat node and service, trains, anchors, audits, values and pays,
 * shuts everything down and prints a JSON summary; the assertions are the protocol's promises.
 * Plus the pure helpers the demo uses to plan and assign audits.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseEther } from 'ethers';
import { describe, expect, it } from 'vitest';
import { assignSlots, auditedIndexOf } from '../../cli/demo/audit.ts';
import { plannedAudits } from '../../cli/demo/job.ts';
import { formatTable } from '../../cli/demo/narrator.ts';

const run = promisify(execFile);
const bin = path.resolve('bin/flagstone.js');

async function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.CHAIN_RPC_URL; // the embedded default chain, whatever the caller's shell says
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'demo', ...args], {
      env,
      timeout: 170_000,
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface Verdict {
  slot: number;
  index: number;
  verifier: 'A' | 'B';
  flagged: boolean;
  state: string;
}
interface Balance {
  party: string;
  deposited: string;
  credited: string;
  net: string;
  withdrawn: string;
}

describe('flagstone demo', () => {
  it('runs every phase on the embedded defaults and reports a consistent summary', async () => {
    const { code, stdout, stderr } = await demo('--json', '--steps', '120');
    expect(code, stderr.slice(-3000)).toBe(0);
    const s = JSON.parse(stdout);
    expect(s.ok).toBe(true);

    // Narrative on stderr (stdout is the JSON alone), every phase present, in order.
    const phases = [...stderr.matchAll(/^== (\d)\. /gm)].map((m) => Number(m[1]));
    expect(phases).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stderr).toMatch(/== Summary/);

    // The local node was stopped.
    expect(s.chain.local).toBe(true);
    expect(() => process.kill(s.chain.localNodePid, 0)).toThrow();

    // Training: 120 steps, k = 10 → 13 entries, a model that learned.
    expect(s.job.steps).toBe(120);
    expect(s.training.entries).toBe(13);
    expect(s.training.heldOutAccuracy).toBeGreaterThan(0.8);

    // Anchoring: the chain holds the service's signed head; offline proofs verified.
    expect(s.anchoring.anchors).toBeGreaterThanOrEqual(1);
    expect(s.anchoring.anchoredSize).toBe(13);
    expect(s.anchoring).toMatchObject({
      headMatchesCheckpoint: true,
      checkpointVerified: true,
      inclusionVerified: true,
      consistencyVerified: true,
    });

    // Audit: every slot classified as the protocol says, whatever the seed drew.
    const a = s.audit;
    expect(a.slots).toBe(s.job.auditCount);
    expect(a.fraud).toBe(0);
    expect(a.outcome).toBe('Completed');
    expect(a.consistent + a.flagsCaptured + a.lazy).toBe(a.slots);
    for (const v of a.verdicts as Verdict[]) {
      const want = !v.flagged ? 'Consistent' : v.verifier === 'A' ? 'Captured' : 'Lazy';
      expect(v.state, `slot ${v.slot} (entry ${v.index})`).toBe(want);
      expect(v.flagged).toBe((a.flaggedIndices as number[]).includes(v.index));
    }
    expect(a.flagsCaptured + a.lazy).toBe(a.flaggedSlots);
    if (a.flaggedSlots > 0) expect(a.lazy).toBeGreaterThanOrEqual(1); // a flagged slot goes to the lazy verifier
    expect(a.lazySlashed).toBe(a.lazy > 0);
    expect(BigInt(a.bountyPaid)).toBe(BigInt(a.flagsCaptured) * parseEther('0.05'));
    expect(a.segmentsReproduced).toBe(
      a.segmentsReplayed -
        new Set(
          (a.verdicts as Verdict[])
            .filter((v) => v.verifier === 'A' && v.flagged)
            .map((v) => v.index),
        ).size,
    );

    // Money: everything put into the job came out (withdrawn exactly), the trainer earned the payment.
    const balances = a.balances as Balance[];
    const sum = (k: keyof Balance) => balances.reduce((t, b) => t + BigInt(b[k]), 0n);
    expect(sum('credited')).toBe(sum('deposited'));
    expect(sum('withdrawn')).toBe(sum('credited'));
    expect(BigInt(balances.find((b) => b.party === 'trainer')!.net)).toBe(parseEther('1'));

    // Invoice: the honest claim passes, the inflated one does not.
    expect(BigInt(s.invoice.flops)).toBe(120n * BigInt(s.invoice.flopsPerStep));
    expect(s.invoice.honestAccepted).toBe(true);
    expect(s.invoice.inflatedRejected).toBe(true);

    // Royalties: exact Shapley of three islands, payouts sum to the pool, one claim, no double claim.
    const r = s.royalties;
    expect(r.owners.map((o: { owner: string }) => o.owner)).toEqual([
      'Biscoe',
      'Dream',
      'Torgersen',
    ]);
    const values = r.owners.reduce((t: number, o: { value: number }) => t + o.value, 0);
    expect(values).toBeCloseTo(r.utilities['{Biscoe, Dream, Torgersen}'] - r.utilities['∅'], 9);
    expect(r.payoutSumEqualsPool).toBe(true);
    expect(r.payoutSum).toBe(parseEther('1').toString());
    expect(r.claimOk).toBe(true);
    expect(r.doubleClaimRefused).toBe(true);
    expect(r.doubleClaimError).toBe('RoyaltySplitterAlreadyClaimed');
    if (r.source === 'service') {
      expect(r.evaluationsVerified).toBe(8);
      expect(r.serviceRootMatches).toBe(true);
    }
  }, 180_000);

  it('refuses bad options with an error and a non-zero exit, starting nothing', async () => {
    const r = await demo('--steps', '5', '--interval', '10');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/error: --steps \(5\) must be at least --interval \(10\)/);
    const q = await demo('--audits', '65');
    expect(q.code).not.toBe(0);
    expect(q.stderr).toMatch(/at most 64 audit slots/);
  }, 60_000);
});

describe('demo helpers', () => {
  it('plans q = ⌈ln(1 − c) / ln(1 − p)⌉ audits, capped at 64', () => {
    expect(plannedAudits(0.1, 0.95)).toBe(29);
    expect(plannedAudits(0.1, 0.9)).toBe(22);
    expect(plannedAudits(0.5, 0.5)).toBe(1);
    expect(plannedAudits(0.001, 0.999)).toBe(64);
    for (const [p, c] of [
      [0.1, 0.95],
      [0.05, 0.9],
      [0.2, 0.99],
    ] as const) {
      const q = plannedAudits(p, c);
      expect(1 - (1 - p) ** q).toBeGreaterThanOrEqual(c);
      expect(1 - (1 - p) ** (q - 1)).toBeLessThan(c);
    }
  });

  it('computes audited indices in 1 … size − 1 as FlagProtocol does', () => {
    const seed = 'ab'.repeat(32);
    const seen = new Set<number>();
    for (let s = 0; s < 200; s++) {
      const i = auditedIndexOf(seed, s, 21);
      expect(i).toBeGreaterThanOrEqual(1);
      expect(i).toBeLessThanOrEqual(20);
      seen.add(i);
    }
    expect(seen.size).toBe(20);
    expect(auditedIndexOf(seed, 0, 2)).toBe(1);
  });

  it('gives the lazy verifier a flagged slot and the replaying one no two segments sharing an entry', () => {
    for (let trial = 0; trial < 200; trial++) {
      const indices = Array.from({ length: 29 }, (_, s) =>
        auditedIndexOf(trial.toString(16).padStart(64, '0'), s, 21),
      );
      const flagged = new Set([1 + (trial % 20), 1 + ((trial * 7 + 3) % 20)]);
      const who = assignSlots(indices, flagged);
      const flaggedSlots = indices.filter((i) => flagged.has(i)).length;
      const lazyFlagged = indices.filter((i, s) => who[s] === 'B' && flagged.has(i));
      expect(lazyFlagged.length > 0).toBe(flaggedSlots > 0);
      const mine = new Set(indices.filter((_, s) => who[s] === 'A'));
      for (const i of mine) expect(mine.has(i + 1), `A holds ${i} and ${i + 1}`).toBe(false);
      // Besides the last flagged slot, B gets a flagged slot only when A holds a neighbouring segment.
      for (const i of lazyFlagged.slice(0, -1))
        expect(mine.has(i - 1) || mine.has(i + 1)).toBe(true);
    }
  });

  it('right-aligns numeric columns only', () => {
    const lines = formatTable([
      ['a', 'n'],
      ['x', '1'],
      ['yy', '10'],
    ]);
    expect(lines).toEqual(['a   n', '--  --', 'x    1', 'yy  10']);
  });
});
