/**
 * replaySegment over the service: fetches the job's spec, entries i−1 and i and the true state
 * of entry i−1 (private: the reader must be the job's client or trainer until the audit access
 * rule exists), checks the spec against the job's specHash, and replays.
 */
import { specHashOf } from '../../ledger/index.ts';
import { ProverError } from '../errors.ts';
import { replaySegment, type ReplayResult } from '../replay.ts';
import type { Signer } from '../signer.ts';
import { parseSpec } from '../spec.ts';
import type { FlagstoneClient } from './http.ts';

export async function replayRemoteSegment(
  api: FlagstoneClient,
  jobId: string,
  index: number,
  reader: Signer,
): Promise<ReplayResult> {
  if (index < 1) throw new ProverError('FLAGSTONE_ERR_STATE_INVALID', 'segments start at entry 1');
  const job = await api.job(jobId);
  const spec = parseSpec(job.spec);
  if (specHashOf(spec) !== job.specHash) {
    throw new ProverError(
      'FLAGSTONE_ERR_SPEC_INVALID',
      `job spec normalises to ${specHashOf(spec)}, job has ${job.specHash}`,
    );
  }
  const [start, end, startState] = await Promise.all([
    api.entry(jobId, index - 1),
    api.entry(jobId, index),
    api.state(jobId, index - 1, reader),
  ]);
  return replaySegment({ spec, start: start.entry, end: end.entry, startState });
}
