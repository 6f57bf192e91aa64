/**
 * W0 from the public seed (DESIGN §6): each parameter gets its own generator seeded with
 * (seed, parameter name), and values use only uniform draws and a float32 rounding, so W0 is
 * the same on every backend and machine and its root can be checked without training.
 */
import { Rng } from '../rng.ts';
import type { ParamSpec } from './types.ts';

export function initialValues(p: ParamSpec, seed: number): Float32Array {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const init = p.init;
  if (init.kind === 'zeros') return out;
  if (init.kind === 'ones') return out.fill(1);
  const limit = init.kind === 'glorot' ? Math.sqrt(6 / (init.fanIn + init.fanOut)) : init.limit;
  const rng = Rng.fromSeed(`W0:${p.name}`, seed);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * limit;
  return out;
}
