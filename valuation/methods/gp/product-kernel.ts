/**
 * The product kernel on coalition membership vectors used by the gp-shapley surrogate:
 *     k(S, T) = Π_i κ(z_i(S), z_i(T)),  κ(0,0) = 1, κ(1,1) = a, κ(0,1) = κ(1,0) = c = ρ√a,
 * so k(S, T) = a^|S∩T| · c^|S△T|. It spans every interaction order with two numbers (a = 1 is
 * the Hamming kernel ρ^|S△T|; a < 1 puts prior mass on "OR-like" saturation, a > 1 on
 * "AND-like" complementarity). The Shapley value of a kernel section k(·, T) depends only on
 * |T| and on whether the player is in T, which is what makes the surrogate's Shapley values
 * closed-form (`sectionShapley`).
 */

/** An evaluated coalition: membership vector, size and utility. */
export interface Point {
  readonly members: Uint8Array;
  readonly size: number;
  readonly u: number;
}

/** Kernel parameters: κ(1,1) = a, κ(0,1) = c, relative nugget η (added to the diagonal). */
export interface KernelParams {
  readonly a: number;
  readonly c: number;
  readonly eta: number;
}

/** log k! for k = 0..n. */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) lf[k] = lf[k - 1]! + Math.log(k);
  return lf;
}

/**
 * Shapley values of the kernel section g_T(S) = Π_i κ(z_i(S), z_i(T)): `inside[t]` for a player
 * in T, `outside[t]` for one not in T, t = |T|. For i ∈ T, g_T(S ∪ i) − g_T(S) = (a − c)·g'
 * where g' counts k1 members of T∖i in S (factor a each, c for the t−1−k1 absent) and k0
 * non-members in S (c each, 1 for the rest); the Shapley weight of |S| = k is k!(n−k−1)!/n!.
 */
export function sectionShapley(
  n: number,
  a: number,
  c: number,
): { inside: Float64Array; outside: Float64Array } {
  const lf = logFactorials(n);
  const lc = (m: number, k: number) => lf[m]! - lf[k]! - lf[m - k]!;
  const lw = (k: number) => lf[k]! + lf[n - k - 1]! - lf[n]!;
  const la = Math.log(a);
  const lcc = Math.log(c);
  const inside = new Float64Array(n + 1);
  const outside = new Float64Array(n + 1);
  for (let t = 0; t <= n; t++) {
    if (t >= 1) {
      let s = 0;
      for (let k1 = 0; k1 <= t - 1; k1++)
        for (let k0 = 0; k0 <= n - t; k0++)
          s += Math.exp(
            lc(t - 1, k1) + lc(n - t, k0) + lw(k1 + k0) + k1 * la + (t - 1 - k1 + k0) * lcc,
          );
      inside[t] = (a - c) * s;
    }
    if (t <= n - 1) {
      let s = 0;
      for (let k1 = 0; k1 <= t; k1++)
        for (let k0 = 0; k0 <= n - t - 1; k0++)
          s += Math.exp(
            lc(t, k1) + lc(n - t - 1, k0) + lw(k1 + k0) + k1 * la + (t - k1 + k0) * lcc,
          );
      outside[t] = (c - 1) * s;
    }
  }
  return { inside, outside };
}

/** k(S, T) + 1 (the constant absorbs the unknown mean level). */
export function kernelValue(s: Uint8Array, t: Uint8Array, la: number, lc: number): number {
  let both = 0;
  let diff = 0;
  for (let p = 0; p < s.length; p++) {
    both += s[p]! & t[p]!;
    diff += s[p]! ^ t[p]!;
  }
  return Math.exp(both * la + diff * lc) + 1;
}

/** Gram matrix (unit scale) of kernel + constant + nugget on `pts`, row-major. */
export function gram(pts: readonly Point[], params: KernelParams): Float64Array {
  const m = pts.length;
  const k = new Float64Array(m * m);
  const la = Math.log(params.a);
  const lc = Math.log(params.c);
  for (let i = 0; i < m; i++) {
    const zi = pts[i]!.members;
    for (let j = 0; j <= i; j++) {
      const v = kernelValue(zi, pts[j]!.members, la, lc) + (i === j ? params.eta : 0);
      k[i * m + j] = v;
      k[j * m + i] = v;
    }
  }
  return k;
}
