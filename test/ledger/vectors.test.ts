import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, verifyConsistency, verifyInclusion } from '../../ledger/index.ts';

interface InclusionVector {
  name: string;
  size: number;
  index: number;
  leafHash: string;
  path: string[];
  root: string;
  valid: boolean;
  error?: string;
}
interface ConsistencyVector {
  name: string;
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  path: string[];
  valid: boolean;
  error?: string;
}

const load = <T>(f: string): T[] =>
  JSON.parse(readFileSync(new URL(`../vectors/${f}`, import.meta.url), 'utf8')).vectors;
const errorName = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
};

describe('shared RFC 9162 vectors', () => {
  it.each(load<InclusionVector>('inclusion.json').map((v) => [v.name, v] as const))(
    'inclusion: %s',
    (_n, v) => {
      const got = errorName(() =>
        verifyInclusion(v.index, v.size, fromHex(v.leafHash), v.path.map(fromHex), fromHex(v.root)),
      );
      expect(got).toBe(v.valid ? undefined : v.error);
    },
  );
  it.each(load<ConsistencyVector>('consistency.json').map((v) => [v.name, v] as const))(
    'consistency: %s',
    (_n, v) => {
      const got = errorName(() =>
        verifyConsistency(
          v.from,
          v.to,
          fromHex(v.fromRoot),
          fromHex(v.toRoot),
          v.path.map(fromHex),
        ),
      );
      expect(got).toBe(v.valid ? undefined : v.error);
    },
  );
});
