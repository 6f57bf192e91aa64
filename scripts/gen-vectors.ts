/**
 * Writes test/vectors/{inclusion,consistency}.json from the naive RFC 9162 transcription in
 * test/ledger/reference.ts. Each vector is valid or names the tampering it models and the error a
 * verifier must raise. The TypeScript, Solidity and service tests read these files.
 *   npx tsx scripts/gen-vectors.ts
 */
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { leafData, refMTH, refPATH, refPROOF } from '../test/ledger/reference.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const leafHash = (d: Uint8Array) =>
  new Uint8Array(createHash('sha256').update(Uint8Array.of(0)).update(d).digest());
const flip = (x: string) => (x[0] === '0' ? '1' : '0') + x.slice(1);

const SIZES = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
];
const leaves = Array.from({ length: 129 }, (_, i) => leafData(i));
const rootOf = (n: number) => hex(refMTH(leaves.slice(0, n)));

type Inclusion = {
  name: string;
  size: number;
  index: number;
  leafHash: string;
  path: string[];
  root: string;
  valid: boolean;
  error?: string;
};
type Consistency = {
  name: string;
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  path: string[];
  valid: boolean;
  error?: string;
};

const inclusion: Inclusion[] = [];
for (const size of SIZES) {
  const d = leaves.slice(0, size);
  const indices = [
    ...new Set([0, 1, Math.floor(size / 2), size - 2, size - 1].filter((i) => i >= 0 && i < size)),
  ];
  for (const index of indices) {
    const base = {
      size,
      index,
      leafHash: hex(leafHash(d[index]!)),
      path: refPATH(index, d).map(hex),
      root: rootOf(size),
    };
    inclusion.push({ name: `valid size=${size} index=${index}`, ...base, valid: true });
    if (size === 17 && index === 1) {
      inclusion.push({
        name: 'leaf index + 1',
        ...base,
        index: index + 1,
        valid: false,
        error: 'RootMismatchError',
      });
      inclusion.push({
        name: 'wrong leaf hash',
        ...base,
        leafHash: flip(base.leafHash),
        valid: false,
        error: 'RootMismatchError',
      });
      inclusion.push({
        name: 'wrong root',
        ...base,
        root: flip(base.root),
        valid: false,
        error: 'RootMismatchError',
      });
      inclusion.push({
        name: 'tampered path hash',
        ...base,
        path: [flip(base.path[0]!), ...base.path.slice(1)],
        valid: false,
        error: 'RootMismatchError',
      });
      inclusion.push({
        name: 'trailing-garbage',
        ...base,
        path: [...base.path, base.root],
        valid: false,
        error: 'ProofInputError',
      });
      inclusion.push({
        name: 'truncated path',
        ...base,
        path: base.path.slice(0, -1),
        valid: false,
        error: 'ProofInputError',
      });
      inclusion.push({
        name: 'index beyond size',
        ...base,
        index: size,
        valid: false,
        error: 'ProofInputError',
      });
      inclusion.push({
        name: 'size doubled',
        ...base,
        size: size * 2,
        valid: false,
        error: 'ProofInputError',
      });
      inclusion.push({
        name: 'short path hash',
        ...base,
        path: [base.path[0]!.slice(2), ...base.path.slice(1)],
        valid: false,
        error: 'ProofInputError',
      });
    }
  }
}
inclusion.push({
  name: 'empty tree has no leaves',
  size: 0,
  index: 0,
  leafHash: hex(leafHash(leaves[0]!)),
  path: [],
  root: rootOf(0),
  valid: false,
  error: 'ProofInputError',
});

const consistency: Consistency[] = [];
for (const to of SIZES) {
  const d = leaves.slice(0, to);
  const froms = [
    ...new Set([0, 1, 2, 3, 4, Math.floor(to / 2), to - 1, to].filter((m) => m >= 0 && m <= to)),
  ];
  for (const from of froms) {
    const base = {
      from,
      to,
      fromRoot: rootOf(from),
      toRoot: rootOf(to),
      path: refPROOF(from, d).map(hex),
    };
    consistency.push({ name: `valid ${from}->${to}`, ...base, valid: true });
    if (to === 17 && from === 3) {
      consistency.push({
        name: 'forked old root',
        ...base,
        fromRoot: flip(base.fromRoot),
        valid: false,
        error: 'RootMismatchError',
      });
      consistency.push({
        name: 'forked new root',
        ...base,
        toRoot: flip(base.toRoot),
        valid: false,
        error: 'RootMismatchError',
      });
      consistency.push({
        name: 'tampered path hash',
        ...base,
        path: [base.path[0]!, flip(base.path[1]!), ...base.path.slice(2)],
        valid: false,
        error: 'RootMismatchError',
      });
      consistency.push({
        name: 'trailing-garbage',
        ...base,
        path: [...base.path, base.toRoot],
        valid: false,
        error: 'ProofInputError',
      });
      consistency.push({
        name: 'truncated path',
        ...base,
        path: base.path.slice(0, -1),
        valid: false,
        error: 'ProofInputError',
      });
      consistency.push({
        name: 'empty path',
        ...base,
        path: [],
        valid: false,
        error: 'ProofInputError',
      });
      consistency.push({
        name: 'rollback (from > to)',
        ...base,
        from: to,
        to: from,
        fromRoot: base.toRoot,
        toRoot: base.fromRoot,
        valid: false,
        error: 'ProofInputError',
      });
      consistency.push({
        name: 'from - 1',
        ...base,
        from: from - 1,
        valid: false,
        error: 'ProofInputError',
      });
      consistency.push({
        name: 'proof for another old size',
        ...base,
        path: refPROOF(from + 1, d).map(hex),
        valid: false,
        error: 'ProofInputError',
      });
    }
    if (to === 16 && from === 8) {
      consistency.push({
        name: 'power-of-two old size with wrong old root',
        ...base,
        fromRoot: rootOf(7),
        valid: false,
        error: 'RootMismatchError',
      });
    }
  }
}
consistency.push({
  name: 'same size different roots',
  from: 5,
  to: 5,
  fromRoot: rootOf(5),
  toRoot: rootOf(6),
  path: [],
  valid: false,
  error: 'RootMismatchError',
});

const header =
  'RFC 9162 §2.1 vectors generated by scripts/gen-vectors.ts from the naive reference; leaf i data = UTF-8 "leaf-<i>"';
writeFileSync(
  'test/vectors/inclusion.json',
  JSON.stringify({ description: header, vectors: inclusion }, null, 1) + '\n',
);
writeFileSync(
  'test/vectors/consistency.json',
  JSON.stringify({ description: header, vectors: consistency }, null, 1) + '\n',
);
console.log(`wrote ${inclusion.length} inclusion and ${consistency.length} consistency vectors`);
