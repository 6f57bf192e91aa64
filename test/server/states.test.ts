/**
 * Private state blobs (DESIGN §5.6): the trainer stores them with a signed put grant; only the
 * job's client and trainer read them; the public blob route never serves them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateGrantHeaders } from '../../prover/client/state-auth.ts';
import { signerFromKey } from '../../prover/signer.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { EntryChain, openJobRequest, wallet } from '../helpers/actors.ts';

const clientW = wallet(0x41);
const trainerW = wallet(0x42);
const strangerW = wallet(0x43);
const client = signerFromKey(clientW.privateKey);
const trainer = signerFromKey(trainerW.privateKey);
const stranger = signerFromKey(strangerW.privateKey);
const bytes = new Uint8Array(randomBytes(4096));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let t: TestApp;
let jobId: string;
let chain: EntryChain;

beforeAll(async () => {
  t = await buildTestApp({ maxBlobBytes: 1024 * 1024 });
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    payload: await openJobRequest(clientW, trainerW, { model: 'mlp', steps: 1 }),
  });
  ({ jobId } = res.json());
  chain = new EntryChain(jobId, res.json().specHash, trainerW);
});
afterAll(async () => t.close());

const put = (index: number, body: Uint8Array, headers: Record<string, string>) =>
  t.app.inject({
    method: 'PUT',
    url: `/v1/jobs/${jobId}/states/${index}`,
    payload: Buffer.from(body),
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
const get = (index: number, headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/states/${index}`, headers });
const putGrant = (s = trainer, index = 0, body = bytes) =>
  stateGrantHeaders(s, jobId, index, { action: 'put', sha256: sha(body) });
const getGrant = (s: typeof trainer, index = 0) =>
  stateGrantHeaders(s, jobId, index, { action: 'get' });

describe('state blobs', () => {
  it('stores the next state with a trainer grant, idempotently', async () => {
    const res = await put(0, bytes, putGrant());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ index: 0, sha256: sha(bytes), size: 4096, created: true });
    expect((await put(0, bytes, putGrant())).statusCode).toBe(200);
  });

  it('refuses other bytes for a stored index, a state ahead of the log, and non-trainers', async () => {
    const other = new Uint8Array(randomBytes(64));
    expect((await put(0, other, putGrant(trainer, 0, other))).json().error).toBe(
      'FLAGSTONE_ERR_CONFLICT',
    );
    expect((await put(5, bytes, putGrant(trainer, 5))).statusCode).toBe(409);
    expect((await put(0, bytes, putGrant(client))).statusCode).toBe(403);
  });

  it('refuses bytes that do not match the granted hash, and bad or expired grants', async () => {
    const grant = putGrant();
    expect((await put(0, new Uint8Array(randomBytes(32)), grant)).statusCode).toBe(422);
    expect(
      (
        await put(0, bytes, {
          ...grant,
          'x-flagstone-expires': String(Number(grant['x-flagstone-expires']) + 1),
        })
      ).statusCode,
    ).toBe(401);
    const expired = stateGrantHeaders(
      trainer,
      jobId,
      0,
      { action: 'put', sha256: sha(bytes) },
      60,
      Date.now() - 3600_000,
    );
    expect((await put(0, bytes, expired)).json().message).toMatch(/expired/);
    expect((await put(0, bytes, {})).statusCode).toBe(401);
  });

  it('serves a state to the client and the trainer only', async () => {
    for (const reader of [client, trainer]) {
      const res = await get(0, getGrant(reader));
      expect(res.statusCode).toBe(200);
      expect(new Uint8Array(res.rawPayload)).toEqual(bytes);
    }
    expect((await get(0, getGrant(stranger))).statusCode).toBe(403);
    expect((await get(0, {})).statusCode).toBe(401);
    // A get grant is bound to its index and cannot be used to write.
    expect((await get(1, getGrant(client, 0))).statusCode).toBe(401);
    expect((await put(0, bytes, getGrant(trainer))).statusCode).toBe(401);
    expect((await get(3, getGrant(client, 3))).statusCode).toBe(404);
  });

  it('never serves a state through the public blob route', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/v1/blobs/${sha(bytes)}` })).statusCode).toBe(
      404,
    );
    const res = await t.app.inject({
      method: 'PUT',
      url: `/v1/blobs/${sha(bytes)}`,
      payload: Buffer.from(bytes),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode).toBe(409);
  });

  it('accepts the state of the entry after an append', async () => {
    const { entry, signature } = chain.peek();
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/jobs/${jobId}/entries`,
          payload: { entry, signature },
        })
      ).statusCode,
    ).toBe(201);
    const next = new Uint8Array(randomBytes(100));
    expect((await put(1, next, putGrant(trainer, 1, next))).statusCode).toBe(201);
  });
});
