/**
 * Valuation log hook (DESIGN §7: "every utility evaluation … is appended to the job's ledger,
 * so a valuation can be audited and replayed like training"). The valuation math stays pure:
 * it emits one record per utility evaluation to an injected sink; the service turns records
 * into ledger entries (canonical JSON, RFC 8785) and decides durability.
 */
import type { Coalition } from './coalition.ts';
import { InvalidGameError } from './errors.ts';
import type { Game } from './game.ts';

/** One utility evaluation, with everything needed to replay it. */
export interface EvaluationRecord {
  /** Record format version. */
  readonly v: 1;
  /** Utility family (metadata.kind). */
  readonly kind: string;
  /** Member owner ids, sorted. */
  readonly coalition: readonly string[];
  /** Data roots of the members, in the same order. */
  readonly dataRoots: readonly string[];
  readonly modelSpecHash: string;
  readonly seed: string;
  readonly value: number;
}

/** Receives records in evaluation order; may be async (e.g. a durable append). */
export type EvaluationSink = (record: EvaluationRecord) => void | Promise<void>;

/** Wraps a game so every utility evaluation is reported to `sink` after it completes. */
export function withEvaluationLog(game: Game, sink: EvaluationSink): Game {
  const md = game.metadata;
  if (!md)
    throw new InvalidGameError(
      'a logged game needs utility metadata (data roots, model spec, seed)',
    );
  const utility = async (coalition: Coalition): Promise<number> => {
    const value = await game.utility(coalition);
    const members = coalition
      .map((i) => [game.players[i]!, md.dataRoots[i]!] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    await sink({
      v: 1,
      kind: md.kind,
      coalition: members.map((m) => m[0]),
      dataRoots: members.map((m) => m[1]),
      modelSpecHash: md.modelSpecHash,
      seed: md.seed,
      value,
    });
    return value;
  };
  return { players: game.players, utility, metadata: md };
}
