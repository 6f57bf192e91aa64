/**
 * Owner-level game from a finer game (identities or shards): each owner's units become one
 * player, U'(T) = U(∪_{o∈T} units(o)). This is the "group as individual" valuation: correct
 * when the registry maps every identity to its owner, but a value computed this way still
 * depends on how *other* data is grouped, and an owner who registers a shell identity the
 * registry cannot link gains or loses (see faithful-group-shapley.ts for the defence).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { InvalidGameError } from '../errors.ts';
import { defineGame, type Game } from '../game.ts';

export interface OwnerGame {
  readonly game: Game;
  /** Unit indices (players of the original game) of each owner, ascending. */
  readonly members: readonly (readonly number[])[];
}

/** Groups the players of `game` by `ownerOf(player)`; owners appear in first-seen order. */
export function ownerGame(game: Game, ownerOf: (player: string) => string): OwnerGame {
  const owners: string[] = [];
  const members: number[][] = [];
  const index = new Map<string, number>();
  game.players.forEach((p, unit) => {
    const owner = ownerOf(p);
    if (!owner)
      throw new InvalidGameError('every player needs an owner', {
        details: `player "${p}" has none`,
      });
    let o = index.get(owner);
    if (o === undefined) {
      o = owners.length;
      index.set(owner, o);
      owners.push(owner);
      members.push([]);
    }
    members[o]!.push(unit);
  });
  const utility = async (coalition: readonly number[]): Promise<number> =>
    game.utility(coalition.flatMap((o) => members[o]!).sort((a, b) => a - b));
  const md = game.metadata;
  const grouped = defineGame(
    owners,
    utility,
    md && {
      ...md,
      // An owner's data commitment is the hash of its units' roots, in unit order.
      dataRoots: members.map((m) =>
        bytesToHex(sha256(utf8ToBytes(m.map((u) => md.dataRoots[u]).join('\n')))),
      ),
    },
  );
  return { game: grouped, members };
}
