/**
 * The copyright game's data (DESIGN §8): movie titles from vega-datasets movies.json, tokenised
 * exactly as the prover's charlm sees them (`loadMovies`). Owners are distributors — by default
 * the `ownerCount` largest (by title count, ties by name), never the "(none)" bucket; the
 * public base data are the titles of every other distributor and of no distributor.
 * Optional caps take a deterministic, seed-free subsample of each shard: the titles whose
 * SHA-256("flagstone:copyright:<row>") is smallest, kept in file order — a uniform sample that
 * any party recomputes, so small test games stay representative instead of alphabetical.
 */
import { sha256 } from '../../ledger/index.ts';
import { dataRoot, selectExamples, type TextExamples } from '../../prover/data/examples.ts';
import {
  EOS,
  PAD,
  UNKNOWN_DISTRIBUTOR as NO_DISTRIBUTOR,
  loadMovies,
  type CharVocab,
} from '../../prover/data/movies.ts';
import { InvalidGameError, InvalidInputError } from '../errors.ts';

export interface MovieTitlesOptions {
  /** Tokens the charlm sees per title minus one (titles longer than context − 1 are cut). */
  readonly context: number;
  /** Distributors to value; default the `ownerCount` largest. */
  readonly owners?: readonly string[];
  /** Number of largest distributors used when `owners` is not given (default 7). */
  readonly ownerCount?: number;
  /** Keep at most this many titles per owner (default: all). */
  readonly maxTitlesPerOwner?: number;
  /** Keep at most this many public base titles (default: all). */
  readonly maxBaseTitles?: number;
}

export interface MovieTitles {
  readonly owners: readonly string[];
  readonly base: TextExamples;
  /** Each owner's titles, in player order. */
  readonly shards: readonly TextExamples[];
  readonly vocab: CharVocab;
  readonly seqLen: number;
  readonly vocabSize: number;
  /** RFC 9162 root of the base titles, and of each owner's shard (player order). */
  readonly baseRoot: string;
  readonly ownerRoots: readonly string[];
}

function rank(row: number): number {
  const h = sha256(new TextEncoder().encode(`flagstone:copyright:${row}`));
  return new DataView(h.buffer, h.byteOffset).getUint32(0, false);
}

/** The first `max` rows by hash rank, returned in file order. */
function capRows(rows: number[], max: number | undefined): number[] {
  if (max === undefined || rows.length <= max) return rows;
  const kept = [...rows].sort((a, b) => rank(a) - rank(b) || a - b).slice(0, max);
  return kept.sort((a, b) => a - b);
}

function largestDistributors(owners: readonly string[], count: number): string[] {
  const counts = new Map<string, number>();
  for (const o of owners) if (o !== NO_DISTRIBUTOR) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([o]) => o);
}

export function movieTitles(options: MovieTitlesOptions): MovieTitles {
  const { examples, vocab } = loadMovies(options.context);
  const owners = options.owners
    ? [...options.owners]
    : largestDistributors(examples.owners, options.ownerCount ?? 7);
  if (owners.length === 0) throw new InvalidGameError('the copyright game needs owners');
  const rowsOf = new Map(owners.map((o) => [o, [] as number[]]));
  const baseRows: number[] = [];
  examples.owners.forEach((o, i) => (rowsOf.get(o) ?? baseRows).push(i));
  for (const [o, rows] of rowsOf) {
    if (o === NO_DISTRIBUTOR || rows.length === 0) {
      throw new InvalidInputError('an owner must be a distributor with titles', {
        details: `got "${o}" with ${rows.length} titles`,
      });
    }
  }
  const base = selectExamples(examples, capRows(baseRows, options.maxBaseTitles));
  const shards = owners.map((o) =>
    selectExamples(examples, capRows(rowsOf.get(o)!, options.maxTitlesPerOwner)),
  );
  return {
    owners,
    base,
    shards,
    vocab,
    seqLen: examples.seqLen,
    vocabSize: examples.vocabSize,
    baseRoot: dataRoot(base),
    ownerRoots: shards.map((s) => dataRoot(s)),
  };
}

/** The text of example `i` as the model sees it (characters between BOS and EOS/PAD). */
export function titleOf(ex: TextExamples, vocab: CharVocab, i: number): string {
  let out = '';
  for (let t = i * ex.seqLen + 1; t < (i + 1) * ex.seqLen; t++) {
    const token = ex.tokens[t]!;
    if (token === EOS || token === PAD) break;
    out += vocab.decode(token);
  }
  return out;
}

/** All titles of a shard, as the model sees them. */
export function titlesOf(ex: TextExamples, vocab: CharVocab): string[] {
  return Array.from({ length: ex.count }, (_, i) => titleOf(ex, vocab, i));
}
