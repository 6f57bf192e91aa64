/**
 * Sparse "gate" terms for the gp-shapley surrogate.
 *
 * Why: data-valuation games are often dominated by a few groups of owners whose data are
 * substitutes (any one owner of a species' records lets a classifier predict that species) or
 * complements. Such a group G contributes an OR gate 1 − [S ∩ G = ∅] or an AND gate [G ⊆ S]:
 * one term, but of order |G| in the Möbius basis. A Gaussian process with an exchangeable
 * kernel spreads its prior over all C(n, |G|) terms of that order and, from ~100 coalitions,
 * shrinks the group's members toward equal values. Adding the gates that the data ask for as
 * explicit basis functions (a GP with a linear mean in those features, Rasmussen & Williams
 * 2006 §2.7) fixes that; their Shapley values are closed-form (a unanimity game on G gives each
 * member 1/|G|), so the surrogate's Shapley values stay exact.
 *
 * Selection is orthogonal matching pursuit in the GP-whitened space (L⁻¹h for K = LLᵀ): a gate
 * is only added for structure the kernel itself does not already explain, so exchangeable
 * games such as majority games get none. Each step adds the gate with the largest gain in the
 * profile log-likelihood, (m/2)·log(RSS_before/RSS_after), and selection stops when the best
 * gain is below log(#candidates): the largest of p chance gains (½χ²₁ each) is about log p, the
 * risk-inflation threshold of Foster & George (1994).
 * Candidates: every player set of size ≥ 2 as both an absent-gate [S ∩ G = ∅] and an AND gate
 * while 2^n is small (n ≤ `exhaustiveUpTo`); beyond that a beam search grows sets from pairs.
 */
import { lowerSolve } from '../../linalg/cholesky.ts';
import { axpy, dot, scale } from '../../linalg/vector.ts';
import type { Point } from './product-kernel.ts';

/** `and`: [G ⊆ S] (complements); `absent`: [G ∩ S = ∅] (1 − OR over substitutes). */
export interface Gate {
  readonly kind: 'and' | 'absent';
  /** Player indices, ascending. */
  readonly players: readonly number[];
}

export function gateValue(g: Gate, members: Uint8Array): number {
  if (g.kind === 'and') {
    for (const i of g.players) if (!members[i]) return 0;
    return 1;
  }
  for (const i of g.players) if (members[i]) return 0;
  return 1;
}

/** Shapley values of a gate: ±1/|G| to each member (a unanimity game or its negated OR). */
export function gateShapley(g: Gate, n: number): Float64Array {
  const phi = new Float64Array(n);
  const v = (g.kind === 'and' ? 1 : -1) / g.players.length;
  for (const i of g.players) phi[i] = v;
  return phi;
}

export interface GateSelectionOptions {
  /** Most gates selected (default n). */
  readonly maxGates?: number;
  /** Largest n whose 2^n player sets are all candidates (default 12); beam search beyond. */
  readonly exhaustiveUpTo?: number;
  /** Beam width of the search for larger n (default 4). */
  readonly beam?: number;
}

const KINDS = ['absent', 'and'] as const;

/** Sets of size ≥ 2 of n players, as sorted index lists. */
function allSets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const players: number[] = [];
    for (let i = 0; i < n; i++) if ((mask >>> i) & 1) players.push(i);
    if (players.length >= 2) out.push(players);
  }
  return out;
}

/** What selection needs of a gate-free GP fit (fit.ts's GpFit): its points, K = LLᵀ, mean. */
export interface WhitenedFit {
  readonly points: readonly Point[];
  /** Cholesky factor of the Gram matrix, lower triangle, row-major. */
  readonly chol: Float64Array;
  readonly mean: number;
}

/**
 * Gates to add to a gate-free GP fit (see the module comment); [] when no gate clears the
 * threshold. Whitening reuses the fit's Cholesky factor.
 */
export function selectGates(fit: WhitenedFit, options: GateSelectionOptions = {}): Gate[] {
  const pts = fit.points;
  const m = pts.length;
  const n = pts[0]?.members.length ?? 0;
  if (m < 3 || n < 2) return [];
  const maxGates = options.maxGates ?? n;
  const exhaustive = n <= (options.exhaustiveUpTo ?? 12);
  const beam = options.beam ?? 4;
  const l = fit.chol;
  const mean = fit.mean;
  const r = lowerSolve(
    l,
    m,
    pts.map((p) => p.u - mean),
  );
  let rss = dot(r, r, m);
  const basis: Float64Array[] = []; // orthonormal whitened directions of the chosen gates

  /** Whitened gate column, orthogonalised against the chosen ones; null if constant. */
  const column = (g: Gate): Float64Array | null => {
    const h = pts.map((p) => gateValue(g, p.members));
    if (h.every((v) => v === h[0])) return null;
    const w = lowerSolve(l, m, h);
    for (const q of basis) axpy(-dot(w, q, m), q, w, m);
    return w;
  };
  const gain = (w: Float64Array | null): number => {
    if (!w) return 0;
    const nn = dot(w, w, m);
    if (!(nn > 1e-10)) return 0;
    const d = dot(w, r, m);
    return (d * d) / nn;
  };

  // Exhaustive: whiten every candidate once, then update incrementally per chosen gate.
  const pool: { gate: Gate; w: Float64Array }[] = [];
  if (exhaustive) {
    for (const players of allSets(n))
      for (const kind of KINDS) {
        const gate = { kind, players };
        const w = column(gate);
        if (w) pool.push({ gate, w });
      }
  }
  const candidates = exhaustive ? pool.length : 2 * (2 ** n - n - 1);
  const threshold = Math.log(Math.max(candidates, 2));

  const chosen: Gate[] = [];
  while (chosen.length < maxGates) {
    let best: { gate: Gate; w: Float64Array; g: number } | null = null;
    if (exhaustive) {
      for (const c of pool) {
        const g = gain(c.w);
        if (!best || g > best.g) best = { gate: c.gate, w: c.w, g };
      }
    } else {
      best = beamSearch(n, beam, (gate) => {
        const w = column(gate);
        return { w, g: gain(w) };
      });
    }
    if (!best || !(best.g > 0)) break;
    const after = Math.max(rss - best.g, 1e-300 * rss);
    if ((m / 2) * Math.log(rss / after) < threshold) break;
    const q = Float64Array.from(best.w);
    scale(1 / Math.sqrt(dot(q, q, m)), q, m);
    axpy(-dot(r, q, m), q, r, m);
    rss = dot(r, r, m);
    basis.push(q);
    chosen.push(best.gate);
    if (exhaustive) for (const c of pool) axpy(-dot(c.w, q, m), q, c.w, m);
  }
  return chosen;
}

/** Beam search over player sets: all pairs, then the `beam` best sets grown one player at a time. */
function beamSearch(
  n: number,
  beam: number,
  score: (g: Gate) => { w: Float64Array | null; g: number },
): { gate: Gate; w: Float64Array; g: number } | null {
  let best: { gate: Gate; w: Float64Array; g: number } | null = null;
  for (const kind of KINDS) {
    let frontier: { players: number[]; g: number }[] = [];
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) frontier.push({ players: [i, j], g: 0 });
    const seen = new Set<string>();
    while (frontier.length > 0) {
      const scored: { players: number[]; g: number }[] = [];
      for (const f of frontier) {
        const key = f.players.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        const gate = { kind, players: f.players };
        const s = score(gate);
        if (s.w && (!best || s.g > best.g)) best = { gate, w: s.w, g: s.g };
        scored.push({ players: f.players, g: s.g });
      }
      scored.sort((x, y) => y.g - x.g);
      frontier = [];
      for (const s of scored.slice(0, beam)) {
        if (s.players.length >= n - 1) continue;
        for (let p = 0; p < n; p++)
          if (!s.players.includes(p))
            frontier.push({ players: [...s.players, p].sort((x, y) => x - y), g: 0 });
      }
    }
  }
  return best;
}
