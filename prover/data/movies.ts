/**
 * Movie titles (vega-datasets movies.json) for the character LM; owners = distributors.
 * The vocabulary is every code point in any title, sorted, after four special tokens; it is
 * built from the whole file so it does not depend on the coalition.
 */
import type { TextExamples } from './examples.ts';
import { readVegaJson } from './vega.ts';

interface MovieRow {
  Title: string | number | null;
  Distributor: string | null;
}

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const UNK = 3;
const SPECIALS = 4;
export const UNKNOWN_DISTRIBUTOR = '(none)';

export interface CharVocab {
  readonly chars: readonly string[];
  encode(ch: string): number;
  decode(token: number): string;
}

function titledRows(): { title: string; owner: string }[] {
  return readVegaJson<MovieRow>('movies.json')
    .filter((r) => typeof r.Title === 'string' || typeof r.Title === 'number')
    .map((r) => ({ title: String(r.Title), owner: r.Distributor ?? UNKNOWN_DISTRIBUTOR }));
}

export function movieVocab(): CharVocab {
  const set = new Set<string>();
  for (const r of titledRows()) for (const ch of r.title) set.add(ch);
  const chars = [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const index = new Map(chars.map((c, i) => [c, i + SPECIALS]));
  return {
    chars,
    encode: (ch) => index.get(ch) ?? UNK,
    decode: (t) => (t >= SPECIALS ? chars[t - SPECIALS] ?? '?' : ''),
  };
}

/** Titles as [BOS, chars…, EOS, PAD…], truncated to context + 1 tokens. */
export function loadMovies(context: number): { examples: TextExamples; vocab: CharVocab } {
  const vocab = movieVocab();
  const rows = titledRows();
  const seqLen = context + 1;
  const tokens = new Int32Array(rows.length * seqLen); // PAD = 0
  rows.forEach((r, i) => {
    const seq = [BOS, ...Array.from(r.title, (c) => vocab.encode(c)), EOS].slice(0, seqLen);
    tokens.set(seq, i * seqLen);
  });
  return {
    vocab,
    examples: {
      kind: 'text', count: rows.length, seqLen, vocabSize: vocab.chars.length + SPECIALS, tokens,
      owners: rows.map((r) => r.owner),
    },
  };
}
