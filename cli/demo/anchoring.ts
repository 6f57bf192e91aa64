/**
 * Phase 5 — anchoring: flush the service's anchoring worker, list the anchors (read from the
 * contract's events), check that the head on chain is the service's signed checkpoint, and
 * check offline with ledger/ what any monitor can: the checkpoint note's Ed25519 signature, an
 * entry's RFC 9162 inclusion proof (leaf hash recomputed from the signed entry) and the
 * consistency of the first anchored head with the final one.
 */
import type { ChainConnection } from '../../chain/index.ts';
import {
  fromHex,
  signedEntryLeafHash,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../ledger/index.ts';
import type { JobPhase } from './job.ts';
import type { Narrator } from './narrator.ts';
import { short } from './narrator.ts';
import type { ServicePhase } from './service.ts';

export interface AnchorView {
  readonly size: number;
  readonly rootHex: string;
  readonly txHash: string;
  readonly blockNumber: number;
}

export interface AnchoringPhase {
  readonly anchors: readonly AnchorView[];
  readonly size: number;
  readonly rootHex: string;
  readonly headMatchesCheckpoint: boolean;
  readonly checkpointVerified: boolean;
  readonly inclusionVerified: boolean;
  readonly consistencyVerified: boolean;
}

export async function checkAnchoring(
  say: Narrator,
  job: JobPhase,
  svc: ServicePhase,
  chain: ChainConnection,
): Promise<AnchoringPhase> {
  say.phase(5, 'Anchoring');
  await svc.app.anchoring.flush();
  const anchors = await svc.http.get<AnchorView[]>(`/v1/jobs/${job.jobId}/anchors`);
  if (anchors.length === 0) throw new Error('the anchoring worker anchored nothing');
  say.table([
    ['#', 'size', 'root', 'tx', 'block'],
    ...anchors.map((a, i) => [
      String(i + 1),
      String(a.size),
      short(a.rootHex, 16),
      short(a.txHash, 12),
      String(a.blockNumber),
    ]),
  ]);
  const cp = await svc.http.get<{ size: number; rootHex: string; note: string }>(
    `/v1/jobs/${job.jobId}/checkpoint`,
  );
  const head = await chain.ledger.head(job.jobId);
  const headMatchesCheckpoint = head.size === cp.size && head.rootHex === cp.rootHex;
  if (!headMatchesCheckpoint) {
    throw new Error(
      `on-chain head (${head.size}, ${head.rootHex}) differs from the service checkpoint (${cp.size}, ${cp.rootHex})`,
    );
  }
  say.ok(`on-chain head of the job = service checkpoint: size ${head.size}, root ${cp.rootHex}`);

  // Offline checks with ledger/ (no trust in the service's own answers).
  const note = verifyCheckpoint(cp.note, svc.vkey);
  const checkpointVerified = note.size === cp.size && toHex(note.root) === cp.rootHex;
  if (!checkpointVerified)
    throw new Error('the signed checkpoint note does not carry the served head');
  say.ok(`checkpoint note signed by the log key verifies (origin ${note.origin})`);
  say.line(
    cp.note
      .trimEnd()
      .split('\n')
      .map((l) => `   │ ${l}`)
      .join('\n')
      .trimStart(),
  );

  const index = Math.floor(cp.size / 2);
  const stored = await svc.api.entry(job.jobId, index);
  const leaf = signedEntryLeafHash(stored.entry, stored.signature);
  const proof = await svc.http.get<{ path: string[] }>(
    `/v1/jobs/${job.jobId}/proof/inclusion?index=${index}&size=${cp.size}`,
  );
  verifyInclusion(index, cp.size, fromHex(leaf), proof.path.map(fromHex), note.root);
  say.ok(
    `entry ${index} (step ${stored.entry.step}, stateRoot ${short(stored.entry.stateRoot)}) is in the anchored tree: inclusion proof of ${proof.path.length} hashes verifies`,
  );

  const first = anchors[0]!;
  if (first.size < cp.size) {
    const c = await svc.http.get<{ path: string[] }>(
      `/v1/jobs/${job.jobId}/proof/consistency?from=${first.size}&to=${cp.size}`,
    );
    verifyConsistency(first.size, cp.size, fromHex(first.rootHex), note.root, c.path.map(fromHex));
    say.ok(
      `first anchor (size ${first.size}) is a prefix of the final head: consistency proof of ${c.path.length} hashes verifies (the chain checked each step too)`,
    );
  }
  // Every verify* above throws on failure, so reaching here means all checks held.
  return {
    anchors,
    size: cp.size,
    rootHex: cp.rootHex,
    headMatchesCheckpoint,
    checkpointVerified,
    inclusionVerified: true,
    consistencyVerified: true,
  };
}
