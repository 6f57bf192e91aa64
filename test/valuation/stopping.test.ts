import { describe, expect, it } from 'vitest';
import type { Status } from '../../valuation/result.ts';
import {
  and,
  maxEvaluations,
  not,
  or,
  rankStability,
  spearman,
  standardError,
  StoppingRule,
  timeBudget,
  type ProgressSnapshot,
} from '../../valuation/stopping.ts';

class Fixed extends StoppingRule {
  readonly description: string;
  constructor(
    readonly status: Status,
    readonly limit = Infinity,
  ) {
    super();
    this.description = status;
  }
  check(): Status {
    return this.status;
  }
  completion(): number {
    return this.status === 'pending' ? 0.25 : 1;
  }
  override evaluationLimit(): number {
    return this.limit;
  }
}

const snap = (p: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  values: [1, 2, 3],
  stderr: [0.1, 0.1, 0.1],
  counts: [10, 10, 10],
  evaluations: 10,
  ...p,
});

const S: Status[] = ['pending', 'converged', 'failed'];

describe('stopping rule combinators', () => {
  it('or: converged wins, then failed, else pending', () => {
    const table = S.map((a) => S.map((b) => or(new Fixed(a), new Fixed(b)).check(snap())));
    expect(table).toEqual([
      ['pending', 'converged', 'failed'],
      ['converged', 'converged', 'converged'],
      ['failed', 'converged', 'failed'],
    ]);
  });

  it('and: failed wins, converged only if both', () => {
    const table = S.map((a) => S.map((b) => and(new Fixed(a), new Fixed(b)).check(snap())));
    expect(table).toEqual([
      ['pending', 'pending', 'failed'],
      ['pending', 'converged', 'failed'],
      ['failed', 'failed', 'failed'],
    ]);
  });

  it('not: converged while pending, pending once done', () => {
    expect(S.map((a) => not(new Fixed(a)).check(snap()))).toEqual([
      'converged',
      'pending',
      'pending',
    ]);
    expect(new Fixed('pending').not().completion(snap())).toBe(0.75);
  });

  it('propagates evaluation caps', () => {
    expect(or(maxEvaluations(100), new Fixed('pending')).evaluationLimit()).toBe(100);
    expect(and(maxEvaluations(100), maxEvaluations(50)).evaluationLimit()).toBe(50);
    expect(not(maxEvaluations(100)).evaluationLimit()).toBe(Infinity);
    expect(maxEvaluations(5).or(standardError(0.1)).description).toBe(
      '(evaluations>=5) OR (stderr<=0.1)',
    );
  });
});

describe('stopping rules', () => {
  it('standardError needs every value under the threshold with enough samples', () => {
    const rule = standardError(0.05);
    expect(rule.check(snap({ stderr: [0.01, 0.04, 0.05] }))).toBe('converged');
    expect(rule.check(snap({ stderr: [0.01, 0.06, 0.05] }))).toBe('pending');
    expect(rule.check(snap({ stderr: [0, 0, 0], counts: [1, 1, 1] }))).toBe('pending');
    expect(standardError(0.05, { fraction: 0.6 }).check(snap({ stderr: [0.01, 0.06, 0.05] }))).toBe(
      'converged',
    );
    expect(rule.completion(snap({ stderr: [0.01, 0.06, 0.05] }))).toBeCloseTo(2 / 3);
    expect(() => standardError(0)).toThrow(/positive/);
  });

  it('maxEvaluations fails at the budget', () => {
    const rule = maxEvaluations(10);
    expect(rule.check(snap({ evaluations: 9 }))).toBe('pending');
    expect(rule.check(snap({ evaluations: 10 }))).toBe('failed');
    expect(rule.completion(snap({ evaluations: 5 }))).toBe(0.5);
  });

  it('timeBudget reads only the injected clock', () => {
    let now = 1000;
    const rule = timeBudget(50, () => now);
    rule.reset();
    now = 1049;
    expect(rule.check(snap())).toBe('pending');
    now = 1050;
    expect(rule.check(snap())).toBe('failed');
    rule.reset();
    expect(rule.check(snap())).toBe('pending');
  });

  it('rankStability converges after `patience` stable checks and resets', () => {
    const rule = rankStability({ threshold: 0.99, patience: 2 });
    expect(rule.check(snap({ values: [1, 2, 3] }))).toBe('pending');
    expect(rule.check(snap({ values: [1.1, 2, 3] }))).toBe('pending');
    expect(rule.check(snap({ values: [1.2, 2.1, 3] }))).toBe('converged');
    expect(rule.check(snap({ values: [3, 2, 1] }))).toBe('pending');
    rule.reset();
    expect(rule.check(snap({ values: [3, 2, 1] }))).toBe('pending');
  });

  it('spearman handles ties and constant vectors', () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBeCloseTo(1);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 1, 1], [1, 1, 1])).toBe(1);
    expect(spearman([1, 2, 2, 3], [1, 2, 2, 3])).toBeCloseTo(1);
  });
});
