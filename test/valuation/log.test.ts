/** The valuation log (issue 5 item 4): canonical leaves, RFC 9162 proofs, tamper evidence. */
import { describe, expect, it } from 'vitest';
import { RootMismatchError, canonicalText } from '../../ledger/index.ts';
import { InvalidInputError, UtilityNotFiniteError } from '../../valuation/errors.ts';
import type { EvaluationRecord } from '../../valuation/evaluation-log.ts';
import { withEvaluationLog } from '../../valuation/evaluation-log.ts';
import {
  ValuationLog,
  encodeLogEntry,
  logEntry,
  logEntryLeafHash,
  parseLogEntry,
  treeFromLeafHashes,
  verifyLogEntry,
} from '../../valuation/log.ts';
import { runMethod } from '../../valuation/methods/index.ts';
import { tableGame } from '../../valuation/utilities/table.ts';

const VALUATION = 'ab'.repeat(32);
const record = (value: number, coalition: string[] = ['a']): EvaluationRecord => ({
  v: 1,
  kind: 'table',
  coalition,
  dataRoots: coalition.map((c) => c.repeat(64).slice(0, 64)),
  modelSpecHash: 'cd'.repeat(32),
  seed: '7',
  value,
});

describe('valuation log entries', () => {
  it('encode as RFC 8785 canonical JSON bound to the valuation and index', () => {
    const e = logEntry(VALUATION, 3, record(0.1 + 0.2, ['b', 'a']));
    expect(new TextDecoder().decode(encodeLogEntry(e))).toBe(
      `{"coalition":["b","a"],"dataRoots":["${'b'.repeat(64)}","${'a'.repeat(64)}"],"index":3,` +
        `"kind":"table","modelSpecHash":"${'cd'.repeat(32)}","seed":"7","v":1,` +
        `"valuationId":"${VALUATION}","value":0.30000000000000004}`,
    );
    expect(logEntryLeafHash(e)).toMatch(/^[0-9a-f]{64}$/);
    // Any field changes the leaf.
    expect(logEntryLeafHash({ ...e, index: 4 })).not.toBe(logEntryLeafHash(e));
    expect(logEntryLeafHash({ ...e, valuationId: 'cd'.repeat(32) })).not.toBe(logEntryLeafHash(e));
  });

  it('reject non-finite values and malformed documents', () => {
    expect(() => logEntry(VALUATION, 0, record(Number.NaN))).toThrow(UtilityNotFiniteError);
    const e = logEntry(VALUATION, 0, record(1));
    expect(parseLogEntry(JSON.parse(canonicalText(e)))).toEqual(e);
    expect(() => parseLogEntry({ ...e, extra: 1 })).toThrow(InvalidInputError);
    expect(() => parseLogEntry({ ...e, dataRoots: [] })).toThrow(/data roots/);
    expect(() => parseLogEntry({ ...e, index: -1 })).toThrow(/index/);
  });
});

describe('ValuationLog', () => {
  it('proves every entry at every size, and catches a tampered value or index', () => {
    const log = new ValuationLog(VALUATION);
    for (let i = 0; i < 21; i++) log.append(record(i / 7));
    for (let size = 1; size <= log.size; size++) {
      const root = log.rootHex(size);
      for (let i = 0; i < size; i++)
        verifyLogEntry(log.entries[i]!, log.inclusionProof(i, size), root);
    }
    const proof = log.inclusionProof(5);
    expect(() => verifyLogEntry({ ...log.entries[5]!, value: 0.5 }, proof, log.rootHex())).toThrow(
      RootMismatchError,
    );
    expect(() => verifyLogEntry(log.entries[6]!, proof, log.rootHex())).toThrow(/index/);
    expect(() => log.inclusionProof(21)).toThrow(/no such log entry/);
  });

  it('rebuilds the same tree from stored leaf hashes', () => {
    const log = new ValuationLog(VALUATION);
    for (let i = 0; i < 9; i++) log.append(record(i));
    const hashes = log.entries.map((_, i) => log.leafHash(i));
    const tree = treeFromLeafHashes(hashes);
    expect(Buffer.from(tree.root()).toString('hex')).toBe(log.rootHex());
  });

  it('records every evaluation an estimator makes through the evaluation hook', async () => {
    const game = tableGame(['a', 'b', 'c'], Float64Array.from([0, 1, 2, 4, 1, 3, 3, 6]));
    const log = new ValuationLog(VALUATION);
    // The wrapped game has no `.table`, so exact Shapley evaluates (and logs) all 8 coalitions.
    const result = await runMethod('exact', withEvaluationLog(game, log.sink()));
    expect(log.size).toBe(result.evaluations);
    expect(log.size).toBe(8);
    expect(log.entries.map((e) => e.coalition.join(','))).toContain('a,c');
    expect(log.entries.find((e) => e.coalition.join(',') === 'a,b,c')!.value).toBe(6);
    const sampled = new ValuationLog(VALUATION);
    const r = await runMethod('permutation', withEvaluationLog(game, sampled.sink()), {
      budget: 40,
      seed: 3,
    });
    expect(sampled.size).toBe(r.evaluations);
  });
});
