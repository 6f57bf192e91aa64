/**
 * Composable stopping rules (pyDVL's StoppingCriterion, small). A rule looks at a progress
 * snapshot and answers:
 *   pending   — keep sampling;
 *   converged — stop, the accuracy goal is met;
 *   failed    — stop, a resource (evaluations, time) ran out before the goal was met.
 * Combinators follow from reading a rule as "done?" plus a reason:
 *   or(a, b):  converged if either converged, else failed if either failed, else pending;
 *   and(a, b): failed if either failed, else converged if both converged, else pending;
 *   not(a):    converged while a is pending, pending once a is done.
 * (pyDVL lets pending win over failed in OR, which is why its MaxUpdates reports "converged";
 * here exhausting a budget stops the run *and* leaves converged = false, which is what a payout
 * statement must say.)
 * Rules are stateful (history, start time); estimators call reset() when a run starts.
 */
import { InvalidInputError } from './errors.ts';
import type { Status } from './result.ts';

/** What a rule can see after each unit of work. */
export interface ProgressSnapshot {
  readonly values: ArrayLike<number>;
  readonly stderr: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  readonly evaluations: number;
}

/** A stopping rule. Build them with the factories below and combine with and/or/not. */
export abstract class StoppingRule {
  /** Human-readable form, e.g. "stderr<=0.01 OR evaluations>=1000". */
  abstract readonly description: string;
  /** Status after seeing a snapshot. */
  abstract check(snapshot: ProgressSnapshot): Status;
  /** Progress towards stopping in [0, 1] (for progress bars). */
  abstract completion(snapshot: ProgressSnapshot): number;
  /** Hard cap on utility evaluations implied by this rule (Infinity if none). */
  evaluationLimit(): number {
    return Infinity;
  }
  /** Forgets history; called at the start of every run. */
  reset(): void {}

  and(other: StoppingRule): StoppingRule {
    return and(this, other);
  }
  or(other: StoppingRule): StoppingRule {
    return or(this, other);
  }
  not(): StoppingRule {
    return not(this);
  }
  toString(): string {
    return this.description;
  }
}

function requirePositive(name: string, x: number): void {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new InvalidInputError(`${name} must be a positive finite number`, {
      details: `got ${x}`,
    });
  }
}

class StandardErrorRule extends StoppingRule {
  readonly description: string;
  constructor(
    readonly threshold: number,
    readonly fraction: number,
    readonly minCount: number,
  ) {
    super();
    this.description = `stderr<=${threshold}${fraction < 1 ? ` for ${fraction * 100}%` : ''}`;
  }
  #converged(s: ProgressSnapshot): number {
    let ok = 0;
    for (let i = 0; i < s.stderr.length; i++) {
      if (s.counts[i]! >= this.minCount && s.stderr[i]! <= this.threshold) ok++;
    }
    return s.stderr.length === 0 ? 1 : ok / s.stderr.length;
  }
  check(s: ProgressSnapshot): Status {
    return this.#converged(s) >= this.fraction ? 'converged' : 'pending';
  }
  completion(s: ProgressSnapshot): number {
    return Math.min(1, this.#converged(s) / this.fraction);
  }
}

/**
 * Converged once at least `fraction` of the players have standard error <= `threshold` and at
 * least `minCount` samples (a stderr from one sample means nothing).
 */
export function standardError(
  threshold: number,
  options: { fraction?: number; minCount?: number } = {},
): StoppingRule {
  requirePositive('stderr threshold', threshold);
  const fraction = options.fraction ?? 1;
  if (!(fraction > 0 && fraction <= 1)) {
    throw new InvalidInputError('fraction must be in (0, 1]', { details: `got ${fraction}` });
  }
  return new StandardErrorRule(threshold, fraction, options.minCount ?? 2);
}

/** Spearman rank correlation of two equally long vectors (ties get average ranks). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i]! - mean) * (rb[i]! - mean);
    saa += (ra[i]! - mean) ** 2;
    sbb += (rb[i]! - mean) ** 2;
  }
  if (saa === 0 || sbb === 0) return saa === sbb ? 1 : 0;
  return sab / Math.sqrt(saa * sbb);
}

function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const r = new Float64Array(x.length);
  for (let s = 0; s < idx.length;) {
    let e = s;
    while (e + 1 < idx.length && x[idx[e + 1]!] === x[idx[s]!]) e++;
    for (let k = s; k <= e; k++) r[idx[k]!] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}

class RankStabilityRule extends StoppingRule {
  readonly description: string;
  #previous: number[] | null = null;
  #streak = 0;
  constructor(
    readonly threshold: number,
    readonly patience: number,
    readonly burnIn: number,
  ) {
    super();
    this.description = `rank-correlation>=${threshold} x${patience}`;
  }
  override reset(): void {
    this.#previous = null;
    this.#streak = 0;
  }
  check(s: ProgressSnapshot): Status {
    if (s.evaluations < this.burnIn) return 'pending';
    const current = Array.from(s.values);
    if (current.some((v) => !Number.isFinite(v))) {
      this.#streak = 0;
      return 'pending';
    }
    if (this.#previous) {
      this.#streak = spearman(this.#previous, current) >= this.threshold ? this.#streak + 1 : 0;
    }
    this.#previous = current;
    return this.#streak >= this.patience ? 'converged' : 'pending';
  }
  completion(): number {
    return Math.min(1, this.#streak / this.patience);
  }
}

/**
 * Converged when the Spearman correlation between the values at consecutive checks stays
 * >= `threshold` for `patience` checks in a row (after `burnIn` evaluations) — the ranking
 * of owners, which is what a payout cares about, has stopped moving (pyDVL RankCorrelation).
 */
export function rankStability(
  options: { threshold?: number; patience?: number; burnIn?: number } = {},
): StoppingRule {
  const threshold = options.threshold ?? 0.999;
  if (!(threshold > -1 && threshold <= 1)) {
    throw new InvalidInputError('rank threshold must be in (-1, 1]', {
      details: `got ${threshold}`,
    });
  }
  const patience = options.patience ?? 10;
  if (!Number.isInteger(patience) || patience < 1) {
    throw new InvalidInputError('patience must be a positive integer', {
      details: `got ${patience}`,
    });
  }
  return new RankStabilityRule(threshold, patience, options.burnIn ?? 0);
}

class MaxEvaluationsRule extends StoppingRule {
  readonly description: string;
  constructor(readonly max: number) {
    super();
    this.description = `evaluations>=${max}`;
  }
  check(s: ProgressSnapshot): Status {
    return s.evaluations >= this.max ? 'failed' : 'pending';
  }
  completion(s: ProgressSnapshot): number {
    return Math.min(1, s.evaluations / this.max);
  }
  override evaluationLimit(): number {
    return this.max;
  }
}

/**
 * Budget of utility evaluations. Also a hard cap: estimators never start a unit of work that
 * would exceed it, so `evaluations <= max` always holds.
 */
export function maxEvaluations(max: number): StoppingRule {
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new InvalidInputError('evaluation budget must be a non-negative integer', {
      details: `got ${max}`,
    });
  }
  return new MaxEvaluationsRule(max);
}

/** A monotonic clock in milliseconds (injected: valuation math never reads the clock itself). */
export type Clock = () => number;

class TimeBudgetRule extends StoppingRule {
  readonly description: string;
  #start: number | null = null;
  constructor(
    readonly milliseconds: number,
    readonly clock: Clock,
  ) {
    super();
    this.description = `time>=${milliseconds}ms`;
  }
  override reset(): void {
    this.#start = this.clock();
  }
  #elapsed(): number {
    this.#start ??= this.clock();
    return this.clock() - this.#start;
  }
  check(): Status {
    return this.#elapsed() >= this.milliseconds ? 'failed' : 'pending';
  }
  completion(): number {
    return Math.min(1, this.#elapsed() / this.milliseconds);
  }
}

/** Wall-time budget measured with an injected clock, counted from reset(). */
export function timeBudget(milliseconds: number, clock: Clock): StoppingRule {
  requirePositive('time budget', milliseconds);
  return new TimeBudgetRule(milliseconds, clock);
}

class CombinedRule extends StoppingRule {
  constructor(
    readonly description: string,
    readonly parts: readonly StoppingRule[],
    readonly combine: (statuses: Status[]) => Status,
    readonly combineCompletion: (c: number[]) => number,
    readonly limit: (limits: number[]) => number,
  ) {
    super();
  }
  check(s: ProgressSnapshot): Status {
    // Every part is checked each time so that stateful parts (rank history) stay current.
    return this.combine(this.parts.map((p) => p.check(s)));
  }
  completion(s: ProgressSnapshot): number {
    return this.combineCompletion(this.parts.map((p) => p.completion(s)));
  }
  override evaluationLimit(): number {
    return this.limit(this.parts.map((p) => p.evaluationLimit()));
  }
  override reset(): void {
    for (const p of this.parts) p.reset();
  }
}

/** Stops as soon as any rule stops; converged if any converged. */
export function or(...rules: StoppingRule[]): StoppingRule {
  return new CombinedRule(
    rules.map((r) => `(${r.description})`).join(' OR '),
    rules,
    (st) => (st.includes('converged') ? 'converged' : st.includes('failed') ? 'failed' : 'pending'),
    (c) => Math.max(...c),
    (l) => Math.min(...l),
  );
}

/** Converged only when every rule converged; failed as soon as any failed. */
export function and(...rules: StoppingRule[]): StoppingRule {
  return new CombinedRule(
    rules.map((r) => `(${r.description})`).join(' AND '),
    rules,
    (st) =>
      st.includes('failed')
        ? 'failed'
        : st.every((x) => x === 'converged')
          ? 'converged'
          : 'pending',
    (c) => Math.min(...c),
    (l) => Math.min(...l),
  );
}

/** Converged while `rule` is pending; pending once it stops. Removes its evaluation cap. */
export function not(rule: StoppingRule): StoppingRule {
  return new CombinedRule(
    `NOT (${rule.description})`,
    [rule],
    ([st]) => (st === 'pending' ? 'converged' : 'pending'),
    ([c]) => 1 - c!,
    () => Infinity,
  );
}
