/**
 * Games given by their full utility table — the `flagstone value shapley --table FILE` input:
 *   {"players":["a","b",…],"utility":{"":u0,"a":u1,"a,b":u2,…}}
 * A key lists its members comma-separated (canonically in `players` order; any order is
 * accepted). Every one of the 2^n coalitions must be present exactly once.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { z } from 'zod';
import { assertMaskable, coalitionOfMask, maskOf } from '../coalition.ts';
import { InvalidTableError, MissingCoalitionError } from '../errors.ts';
import { defineGame, type Game } from '../game.ts';
import { MAX_EXACT_PLAYERS, type UtilityTable } from '../methods/exact.ts';

const tableSchema = z.object({
  players: z.array(z.string().min(1)).min(1),
  utility: z.record(z.string(), z.number()),
});

/** A table game keeps its table so exact methods need not re-evaluate it. */
export interface TableGame extends Game {
  readonly table: UtilityTable;
}

/** Parses and validates a table document (already JSON-parsed). */
export function tableGameFromJSON(doc: unknown): TableGame {
  const parsed = tableSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidTableError('malformed utility table', {
      details: `${issue.path.join('.') || '(root)'}: ${issue.message}; want {"players":[…],"utility":{"":u0,"a":u1,…}}`,
    });
  }
  const { players, utility } = parsed.data;
  assertMaskable('a utility table', players.length, MAX_EXACT_PLAYERS);
  const index = new Map<string, number>();
  players.forEach((p, i) => {
    if (p.includes(','))
      throw new InvalidTableError('player names cannot contain commas', { details: `got "${p}"` });
    if (index.has(p))
      throw new InvalidTableError('player names must be unique', { details: `got "${p}" twice` });
    index.set(p, i);
  });
  const n = players.length;
  const values = new Float64Array(2 ** n);
  const seen = new Uint8Array(2 ** n);
  for (const [key, value] of Object.entries(utility)) {
    const names = key === '' ? [] : key.split(',');
    const members = names.map((name) => {
      const i = index.get(name);
      if (i === undefined) {
        throw new InvalidTableError('coalition names an unknown player', {
          details: `key "${key}" has "${name}", want one of ${players.join(', ')}`,
        });
      }
      return i;
    });
    const mask = maskOf(members);
    if (new Set(members).size !== members.length) {
      throw new InvalidTableError('coalition lists a player twice', { details: `key "${key}"` });
    }
    if (seen[mask])
      throw new InvalidTableError('coalition given twice', { details: `key "${key}"` });
    seen[mask] = 1;
    values[mask] = value;
  }
  const missing: string[] = [];
  for (let mask = 0; mask < seen.length; mask++) {
    if (!seen[mask])
      missing.push(
        coalitionOfMask(mask, n)
          .map((i) => players[i])
          .join(','),
      );
  }
  if (missing.length > 0) throw new MissingCoalitionError(missing, seen.length);
  return tableGame(players, values);
}

/** A game over a complete table indexed by bit mask. */
export function tableGame(players: readonly string[], values: Float64Array): TableGame {
  const n = players.length;
  assertMaskable('a utility table', n, MAX_EXACT_PLAYERS);
  if (values.length !== 2 ** n) {
    throw new InvalidTableError('table size does not match the players', {
      details: `got ${values.length} entries, want 2^${n} = ${2 ** n}`,
    });
  }
  const modelSpecHash = bytesToHex(
    sha256(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
  );
  const game = defineGame(players, async (c) => values[maskOf(c)]!, {
    kind: 'table',
    modelSpecHash,
    dataRoots: players.map((p) => bytesToHex(sha256(utf8ToBytes(p)))),
    seed: '',
  });
  return { ...game, table: { players: game.players, values, evaluations: 0 } };
}

/** The canonical JSON document of a table game (keys in `players` order). */
export function tableGameToJSON(game: TableGame): {
  players: string[];
  utility: Record<string, number>;
} {
  const n = game.players.length;
  const utility: Record<string, number> = {};
  for (let mask = 0; mask < game.table.values.length; mask++) {
    utility[
      coalitionOfMask(mask, n)
        .map((i) => game.players[i])
        .join(',')
    ] = game.table.values[mask]!;
  }
  return { players: [...game.players], utility };
}
