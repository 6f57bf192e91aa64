/**
 * The trainer against the real service over HTTP: open a job (client-signed), commit flags
 * (trainer-signed), train with every state stored privately and every entry appended, then
 * replay segments as the client through the API; a stranger cannot read states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlagstoneClient,
  HttpSink,
  commitFlags,
  jobIdFor,
  openJobRequest,
  replayRemoteSegment,
} from '../../prover/client/index.ts';
import { HttpError } from '../../prover/errors.ts';
import { classifyAudit, planFlags, reveal } from '../../prover/flags.ts';
import { signerFromKey } from '../../prover/signer.ts';
import { train } from '../../prover/train/session.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { CLIENT_KEY, SALT, mlpSpec, trainer } from './helpers.ts';

const client = signerFromKey(CLIENT_KEY);
const stranger = signerFromKey('33'.repeat(32));
let t: TestApp;
let api: FlagstoneClient;

beforeAll(async () => {
  t = await buildTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  api = new FlagstoneClient(address);
});
afterAll(async () => t?.close());

describe('prover over the service API', () => {
  const spec = mlpSpec('cpu');
  let jobId: string;
  const flags = planFlags({ entryCount: 4, count: 1, salt: SALT });

  it('opens the job, commits flags and appends every entry with its state', async () => {
    const domain = await api.domain();
    const req = openJobRequest(client, trainer.address, spec, domain);
    const job = await api.openJob(req);
    jobId = job.jobId;
    expect(jobId).toBe(jobIdFor(req));
    await commitFlags(api, trainer, domain, jobId, flags);
    expect((await api.job(jobId)).flagCommitment).toBe(flags.commitment);
    const progress: number[] = [];
    const out = await train({
      spec,
      jobId,
      sink: new HttpSink(api, trainer),
      signer: trainer,
      domain,
      flags,
      onProgress: (p) => progress.push(p.entriesAppended),
    });
    expect(out.entries).toBe(4);
    expect((await api.job(jobId)).size).toBe(4);
    expect(progress.at(-1)).toBe(4);
  });

  it('lets the client replay segments through the API, and classifies them after reveal', async () => {
    for (let i = 1; i < 4; i++) {
      const r = await replayRemoteSegment(api, jobId, i, client);
      const { entry } = await api.entry(jobId, i);
      expect(classifyAudit(entry, r.root, reveal(flags))).toBe(
        flags.indices.includes(i) ? 'flag-captured' : 'consistent',
      );
    }
  });

  it('keeps states private: a stranger is refused, the public blob route does not serve them', async () => {
    await expect(api.state(jobId, 1, stranger)).rejects.toMatchObject({ status: 403 });
    const bytes = await api.state(jobId, 1, client);
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    await expect(api.blob(sha)).rejects.toBeInstanceOf(HttpError);
  });

  it('refuses an entry out of order (the service checks index and prevLeaf)', async () => {
    const { entry, signature } = await api.entry(jobId, 3);
    await expect(api.appendEntry(jobId, entry, signature)).rejects.toMatchObject({ status: 409 });
  });
});
