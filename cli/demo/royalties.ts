/**
 * Phase 8 — royalties (DESIGN §7). The players are the penguin data owners (one per island);
 * U(S) is the held-out accuracy of the prover's MLP trained from W0 on S's records
 * (valuation/utilities/penguins-mlp.ts; U(∅) = chance). Exact Shapley values over all 2³
 * coalitions are computed by the service (`POST /v1/valuations`, every evaluation logged in an
 * RFC 9162 tree with a signed head) and each logged evaluation is checked here against that head.
 * The payout plan (clip, normalise, largest remainder: the sum is the pool to the wei) is
 * recomputed locally with valuation/payout and must match the service's Merkle root; the root
 * funds a RoyaltySplitter epoch, one owner claims, and a second claim is refused.
 * If the valuation route is unavailable, the same game is valued in-process and the demo says so.
 */
import { parseEther } from 'ethers';
import { type ChainConnection, ChainRevertError, ETH } from '../../chain/index.ts';
import { verifyCheckpoint, toHex } from '../../ledger/index.ts';
import { shapleyFromTable, tabulate } from '../../valuation/methods/exact.ts';
import { verifyLogEntry, type ValuationLogEntry } from '../../valuation/log.ts';
import { planPayout } from '../../valuation/payout/plan.ts';
import { penguinsMlpGame } from '../../valuation/utilities/penguins-mlp.ts';
import type { Cast } from './accounts.ts';
import { chainTime } from './chain.ts';
import type { Narrator } from './narrator.ts';
import { eth, percent, short } from './narrator.ts';
import type { ServicePhase } from './service.ts';

export interface RoyaltyOptions {
  /** Training steps of each coalition's model. */
  readonly valuationSteps: number;
  /** Revenue pool in wei. */
  readonly pool: bigint;
}

export interface OwnerPayout {
  readonly owner: string;
  readonly address: string;
  readonly value: number;
  readonly share: number;
  readonly amount: bigint;
}

export interface RoyaltiesPhase {
  readonly source: 'service' | 'local';
  readonly valuationId: string | null;
  readonly evaluations: number;
  readonly evaluationsVerified: number;
  readonly utilities: Readonly<Record<string, number>>;
  readonly payouts: readonly OwnerPayout[];
  readonly pool: bigint;
  readonly payoutSum: bigint;
  readonly merkleRoot: string;
  readonly serviceRootMatches: boolean | null;
  readonly epochId: number;
  readonly claimant: string;
  readonly claimed: bigint;
  readonly claimOk: boolean;
  readonly doubleClaimRefused: boolean;
  readonly doubleClaimError: string;
}

export const DEFAULT_POOL = parseEther('1');

interface ValuationView {
  id: string;
  players: string[];
  values: Record<string, number | null>;
  evaluations: number;
  log: { origin: string; size: number; rootHex: string; checkpoint: string };
  payout: {
    merkleRoot: string | null;
    total: string;
    statements: { owner: string; amount: string }[];
  } | null;
}

interface EvaluationView {
  entry: ValuationLogEntry;
  proof: { index: number; size: number; path: string[] };
}

const coalitionName = (members: readonly string[]) =>
  members.length ? `{${members.join(', ')}}` : '∅';

export async function payRoyalties(
  say: Narrator,
  o: RoyaltyOptions,
  svc: ServicePhase,
  chain: ChainConnection,
  cast: Cast,
): Promise<RoyaltiesPhase> {
  say.phase(8, 'Royalties');
  const addresses = Object.fromEntries([...cast.owners].map(([owner, p]) => [owner, p.address]));
  say.line(
    `players: ${[...cast.owners.keys()].join(', ')} (penguins by island); U(S) = held-out accuracy of the MLP trained ${o.valuationSteps} steps on S's records, U(∅) = chance`,
  );

  let source: RoyaltiesPhase['source'] = 'service';
  let players: string[];
  let values: number[];
  let view: ValuationView | null = null;
  const utilities: Record<string, number> = {};
  let evaluationsVerified = 0;
  try {
    view = await svc.http.post<ValuationView>('/v1/valuations', {
      game: { kind: 'penguins-mlp', steps: o.valuationSteps, seed: 1, metric: 'accuracy' },
      method: 'exact',
      pool: { amount: o.pool.toString(), addresses },
    });
  } catch (e) {
    say.note(
      `POST /v1/valuations failed (${(e as Error).message.split('\n')[0]}); valuing the same game in-process instead`,
    );
  }
  if (view) {
    players = view.players;
    values = players.map((p) => {
      const v = view!.values[p];
      if (v === null || v === undefined) throw new Error(`the service returned no value for ${p}`);
      return v;
    });
    const head = verifyCheckpoint(view.log.checkpoint, svc.vkey);
    if (head.size !== view.log.size || toHex(head.root) !== view.log.rootHex)
      throw new Error('valuation log head does not match its signed checkpoint');
    for (let i = 0; i < view.log.size; i++) {
      const ev = await svc.http.get<EvaluationView>(`/v1/valuations/${view.id}/evaluations/${i}`);
      verifyLogEntry(ev.entry, ev.proof, view.log.rootHex);
      utilities[coalitionName(ev.entry.coalition)] = ev.entry.value;
      evaluationsVerified++;
    }
    say.ok(
      `service valuation ${short(view.id, 12)}: exact Shapley from ${view.evaluations} utility evaluations, each logged; all ${evaluationsVerified} log entries verify against the signed head (${view.log.origin}, size ${view.log.size})`,
    );
  } else {
    source = 'local';
    const game = penguinsMlpGame({
      steps: o.valuationSteps,
      seed: 1,
      metric: 'accuracy',
      backend: 'cpu',
    });
    const table = await tabulate(game);
    players = [...game.players];
    values = shapleyFromTable(table);
    table.values.forEach((u, mask) => {
      utilities[coalitionName(players.filter((_, i) => (mask >> i) & 1))] = u;
    });
    say.ok(`in-process valuation: exact Shapley from ${table.evaluations} utility evaluations`);
  }
  say.line(
    `utility table: ${Object.entries(utilities)
      .map(([c, u]) => `U(${c}) = ${u.toFixed(3)}`)
      .join(', ')}`,
  );

  const plan = planPayout({
    owners: players,
    values,
    stderr: players.map(() => 0),
    pool: o.pool,
    addresses,
    confidence: 0.95,
    seed: 'payout-intervals',
  });
  if (!plan.merkleRoot)
    throw new Error(
      `payout plan has no Merkle root (missing addresses: ${plan.missingAddresses.join(', ')})`,
    );
  const payouts: OwnerPayout[] = plan.statements.map((s) => ({
    owner: s.owner,
    address: s.address!,
    value: s.value,
    share: s.share,
    amount: s.amount,
  }));
  const payoutSum = payouts.reduce((a, p) => a + p.amount, 0n);
  if (payoutSum !== o.pool) throw new Error(`payouts sum to ${payoutSum} wei, pool is ${o.pool}`);
  let serviceRootMatches: boolean | null = null;
  if (view?.payout) {
    serviceRootMatches =
      view.payout.merkleRoot === plan.merkleRoot &&
      view.payout.statements.every(
        (s) => payouts.find((p) => p.owner === s.owner)?.amount === BigInt(s.amount),
      );
    if (!serviceRootMatches)
      throw new Error(
        `service payout root ${view.payout.merkleRoot} differs from the local plan's ${plan.merkleRoot}`,
      );
  }
  say.table([
    ['owner', 'address', 'Shapley value', 'share', 'payout (wei)', 'payout'],
    ...payouts.map((p) => [
      p.owner,
      short(p.address),
      p.value.toFixed(4),
      percent(p.share, 2),
      p.amount.toString(),
      eth(p.amount),
    ]),
  ]);
  say.ok(
    `Σ values ${values.reduce((a, b) => a + b, 0).toFixed(4)} = U(N) − U(∅); largest-remainder payouts sum to the pool exactly: ${payoutSum} wei`,
  );
  say.ok(
    `payout Merkle root ${short(plan.merkleRoot, 18)}${serviceRootMatches ? " (recomputed locally = the service's)" : ''}`,
  );

  // Fund the epoch (the client pays the revenue pool) and let the largest payee claim.
  const deadline = (await chainTime(chain)) + 30 * 24 * 3600;
  const funded = await chain.splitter
    .connect(cast.client.wallet)
    .createEpoch(plan.merkleRoot, ETH, o.pool, deadline);
  say.ok(
    `client funded RoyaltySplitter epoch ${funded.epochId} with ${eth(o.pool)}  [tx ${short(funded.txHash)}]`,
  );
  const top = [...payouts].sort((a, b) =>
    b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0,
  )[0]!;
  const owner = cast.owners.get(top.owner)!;
  const proof = plan.statements.find((s) => s.owner === top.owner)!.proof!;
  const before = await chain.provider.getBalance(owner.address);
  const claim = await chain.splitter
    .connect(owner.wallet)
    .claim(funded.epochId, [owner.address, top.amount], proof);
  const after = await chain.provider.getBalance(owner.address);
  const received = after - before + claim.receipt.fee;
  const claimOk =
    received === top.amount &&
    (await chain.splitter.isClaimed(funded.epochId, [owner.address, top.amount]));
  if (!claimOk) throw new Error(`${top.owner} received ${received} wei, expected ${top.amount}`);
  say.ok(
    `${owner.role} claimed ${eth(top.amount)} with a ${proof.length}-hash proof; its balance rose by exactly that (+ gas ${claim.receipt.fee} wei paid)`,
  );

  let doubleClaimRefused = false;
  let doubleClaimError = '';
  try {
    await chain.splitter
      .connect(owner.wallet)
      .claim(funded.epochId, [owner.address, top.amount], proof);
  } catch (e) {
    if (!(e instanceof ChainRevertError)) throw e;
    doubleClaimRefused = true;
    doubleClaimError = e.errorName;
  }
  if (!doubleClaimRefused) throw new Error('a second claim of the same payout was accepted');
  say.ok(`a second claim is refused: ${doubleClaimError}`);
  const epoch = await chain.splitter.epoch(funded.epochId);
  say.line(
    `epoch ${funded.epochId}: ${eth(epoch.claimed)} of ${eth(epoch.total)} claimed; the rest stays claimable by the other owners until the deadline`,
  );

  return {
    source,
    valuationId: view?.id ?? null,
    evaluations: view?.evaluations ?? Object.keys(utilities).length,
    evaluationsVerified,
    utilities,
    payouts,
    pool: o.pool,
    payoutSum,
    merkleRoot: plan.merkleRoot,
    serviceRootMatches,
    epochId: funded.epochId,
    claimant: top.owner,
    claimed: top.amount,
    claimOk,
    doubleClaimRefused,
    doubleClaimError,
  };
}
