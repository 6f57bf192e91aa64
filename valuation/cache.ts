/**
 * Utility cache. A training-based U(S) costs minutes, and the same coalition recurs across
 * estimators, seeds and outputs (the copyright utility shares coalition models across
 * generated outputs), so values are cached under a key that names everything U(S) depends on:
 * the members' data roots, the model spec hash, the utility kind and its seed. Keying by
 * (owner id, data root) of the members only — not by player index — keeps entries valid when
 * owners join or leave or the player order changes.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Coalition } from './coalition.ts';
import { InvalidGameError } from './errors.ts';
import type { Game, UtilityMetadata } from './game.ts';

/** Storage for cached utility values (in memory here; the service backs it with its DB). */
export interface UtilityCache {
  get(key: string): number | undefined | Promise<number | undefined>;
  set(key: string, value: number): void | Promise<void>;
}

/** A Map-backed cache. */
export class MemoryUtilityCache implements UtilityCache {
  readonly #map = new Map<string, number>();
  get(key: string): number | undefined {
    return this.#map.get(key);
  }
  set(key: string, value: number): void {
    this.#map.set(key, value);
  }
  get size(): number {
    return this.#map.size;
  }
}

/**
 * Cache key of U(S): SHA-256 (hex) of a fixed-shape JSON document
 * `{v:1, kind, modelSpecHash, seed, members:[[ownerId, dataRoot], …] sorted by ownerId}`.
 */
export function utilityCacheKey(
  players: readonly string[],
  metadata: UtilityMetadata,
  coalition: Coalition,
): string {
  const members = coalition
    .map((i) => [players[i]!, metadata.dataRoots[i]!] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const doc = JSON.stringify({
    v: 1,
    kind: metadata.kind,
    modelSpecHash: metadata.modelSpecHash,
    seed: metadata.seed,
    members,
  });
  return bytesToHex(sha256(utf8ToBytes(doc)));
}

/** Hit/miss counters of a cached game. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/**
 * Wraps a game so that U(S) is looked up in `cache` first. Concurrent requests for the same
 * coalition share one underlying evaluation. The game must carry metadata (the key needs it).
 */
export function withCache(game: Game, cache: UtilityCache): Game & { readonly stats: CacheStats } {
  const metadata = game.metadata;
  if (!metadata) {
    throw new InvalidGameError(
      'a cached game needs utility metadata (data roots, model spec, seed)',
    );
  }
  const stats: CacheStats = { hits: 0, misses: 0 };
  const inFlight = new Map<string, Promise<number>>();
  const utility = async (coalition: Coalition): Promise<number> => {
    const key = utilityCacheKey(game.players, metadata, coalition);
    const cached = await cache.get(key);
    if (cached !== undefined) {
      stats.hits++;
      return cached;
    }
    const pending = inFlight.get(key);
    if (pending) {
      stats.hits++;
      return pending;
    }
    stats.misses++;
    const p = (async () => {
      const v = await game.utility(coalition);
      await cache.set(key, v);
      return v;
    })();
    inFlight.set(key, p);
    try {
      return await p;
    } finally {
      inFlight.delete(key);
    }
  };
  return { players: game.players, utility, metadata, stats };
}
