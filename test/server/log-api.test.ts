import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  fromHex,
  hashLeaf,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  encodeSignedEntry,
} from '../../ledger/index.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { EntryChain, flagRequest, openJobRequest, wallet } from '../helpers/actors.ts';

const client = wallet(0x11);
const trainer = wallet(0x22);
const stranger = wallet(0x33);
let t: TestApp;
let jobId: string;
let specHash: string;
let chain: EntryChain;

beforeAll(async () => {
  t = await buildTestApp({ maxBlobBytes: 1024 * 1024 });
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('jobs', () => {
  it('opens a job signed by the client', async () => {
    const res = await post(
      '/v1/jobs',
      await openJobRequest(client, trainer, { model: 'mlp', steps: 100 }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.jobId).toMatch(/^[0-9a-f]{64}$/);
    expect(body.trainer).toBe(trainer.address.toLowerCase());
    expect(body.origin).toBe(`flagstone.local/jobs/${body.jobId}`);
    ({ jobId, specHash } = body);
    chain = new EntryChain(jobId, specHash, trainer);
  });

  it('refuses the same job twice and a job not signed by its client', async () => {
    expect(
      (await post('/v1/jobs', await openJobRequest(client, trainer, { model: 'mlp', steps: 100 })))
        .statusCode,
    ).toBe(409);
    const forged = {
      ...(await openJobRequest(stranger, trainer, { model: 'x' })),
      client: client.address,
    };
    const res = await post('/v1/jobs', forged);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('FLAGSTONE_ERR_UNAUTHORIZED');
  });

  it('serves the job and the signing domain', async () => {
    expect((await get(`/v1/jobs/${jobId}`)).json()).toMatchObject({
      jobId,
      size: 0,
      spec: { model: 'mlp', steps: 100 },
      flagCommitment: null,
    });
    expect((await get('/v1/domain')).json()).toEqual({
      name: 'Flagstone',
      version: '1',
      chainId: 31337,
    });
    expect((await get(`/v1/jobs/${'0'.repeat(64)}`)).statusCode).toBe(404);
  });

  it('accepts one trainer-signed flag commitment', async () => {
    const c = 'ab'.repeat(32);
    expect(
      (await post(`/v1/jobs/${jobId}/flags`, await flagRequest(stranger, jobId, c))).statusCode,
    ).toBe(401);
    expect(
      (await post(`/v1/jobs/${jobId}/flags`, await flagRequest(trainer, jobId, c))).statusCode,
    ).toBe(201);
    expect(
      (await post(`/v1/jobs/${jobId}/flags`, await flagRequest(trainer, jobId, c))).statusCode,
    ).toBe(409);
    expect((await get(`/v1/jobs/${jobId}`)).json().flagCommitment).toBe(c);
  });
});

describe('entries', () => {
  it('appends signed entries in order and returns their leaf hashes', async () => {
    for (let i = 0; i < 20; i++) {
      const e = chain.peek();
      const res = await post(`/v1/jobs/${jobId}/entries`, e);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ index: i, leafHash: chain.advance(e), size: i + 1 });
    }
  });

  it('rejects a wrong index or prevLeaf with 409, a foreign signer with 401, bad fields with 422', async () => {
    const e = chain.peek();
    const r1 = await post(`/v1/jobs/${jobId}/entries`, chain.peek({ index: 25 }));
    expect(r1.statusCode).toBe(409);
    expect(r1.json().message).toMatch(/index 25 is not the next index 20/);
    expect(
      (await post(`/v1/jobs/${jobId}/entries`, chain.peek({ prevLeaf: 'cd'.repeat(32) })))
        .statusCode,
    ).toBe(409);
    const foreign = new EntryChain(jobId, specHash, stranger);
    foreign.index = 20;
    const r2 = await post(`/v1/jobs/${jobId}/entries`, {
      ...foreign.peek({ prevLeaf: e.entry.prevLeaf }),
    });
    expect(r2.statusCode).toBe(401);
    const r3 = await post(`/v1/jobs/${jobId}/entries`, {
      ...e,
      entry: { ...e.entry, stateRoot: 'XYZ' },
    });
    expect(r3.statusCode).toBe(422);
    expect(r3.json().message).toMatch(/body\.entry\.stateRoot/);
    const r4 = await post(`/v1/jobs/${jobId}/entries`, { ...e, extra: 1 });
    expect(r4.statusCode).toBe(422);
    expect((await get(`/v1/jobs/${jobId}`)).json().size).toBe(20);
  });

  it('reads an entry back with its exact leaf bytes', async () => {
    const res = (await get(`/v1/jobs/${jobId}/entries/3`)).json();
    expect(res.entry.index).toBe(3);
    const leaf = Buffer.from(hashLeaf(encodeSignedEntry(res.entry, res.signature))).toString('hex');
    expect(leaf).toBe(res.leafHash);
    expect((await get(`/v1/jobs/${jobId}/entries/20`)).statusCode).toBe(404);
    expect((await get(`/v1/jobs/${jobId}/entries/-1`)).statusCode).toBe(400);
  });
});

describe('checkpoints and proofs', () => {
  it('signs a checkpoint verifiable with the published key, as JSON and as text', async () => {
    const { vkey } = (await get('/v1/log/public-key')).json();
    const cp = (await get(`/v1/jobs/${jobId}/checkpoint`)).json();
    expect(cp.size).toBe(20);
    const parsed = verifyCheckpoint(cp.note, vkey);
    expect(Buffer.from(parsed.root).toString('hex')).toBe(cp.rootHex);
    const text = await get(`/v1/jobs/${jobId}/checkpoint`, { accept: 'text/plain' });
    expect(text.headers['content-type']).toMatch(/text\/plain/);
    expect(text.body).toBe(cp.note);
  });

  it('serves inclusion proofs that verify against the checkpoint root', async () => {
    const cp = (await get(`/v1/jobs/${jobId}/checkpoint`)).json();
    for (const index of [0, 7, 19]) {
      const p = (await get(`/v1/jobs/${jobId}/proof/inclusion?index=${index}&size=20`)).json();
      verifyInclusion(index, 20, fromHex(p.leafHash), p.path.map(fromHex), fromHex(cp.rootHex));
    }
    expect((await get(`/v1/jobs/${jobId}/proof/inclusion?index=20&size=20`)).statusCode).toBe(404);
    expect((await get(`/v1/jobs/${jobId}/proof/inclusion?index=1&size=21`)).statusCode).toBe(404);
    expect((await get(`/v1/jobs/${jobId}/proof/inclusion?index=x&size=2`)).statusCode).toBe(400);
  });

  it('serves consistency proofs between every pair of sizes', async () => {
    const roots: string[] = [];
    for (let n = 0; n <= 20; n++)
      roots.push(
        (await get(`/v1/jobs/${jobId}/proof/consistency?from=0&to=${n}`)).statusCode === 200
          ? n.toString()
          : '',
      );
    const cp20 = (await get(`/v1/jobs/${jobId}/checkpoint`)).json();
    for (const from of [1, 2, 3, 8, 13, 20]) {
      const p = (await get(`/v1/jobs/${jobId}/proof/consistency?from=${from}&to=20`)).json();
      const inc = (await get(`/v1/jobs/${jobId}/proof/inclusion?index=0&size=${from}`)).json();
      // Recover the old root from an inclusion proof of leaf 0 at that size, then check consistency.
      const { rootFromInclusionProof } = await import('../../ledger/index.ts');
      const oldRoot = rootFromInclusionProof(0, from, fromHex(inc.leafHash), inc.path.map(fromHex));
      verifyConsistency(from, 20, oldRoot, fromHex(cp20.rootHex), p.path.map(fromHex));
    }
    expect((await get(`/v1/jobs/${jobId}/proof/consistency?from=5&to=3`)).statusCode).toBe(404);
  });
});

describe('blobs', () => {
  const bytes = Buffer.from('hello flagstone '.repeat(1000));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const put = (addr: string, payload: Buffer, type = 'application/octet-stream') =>
    t.app.inject({
      method: 'PUT',
      url: `/v1/blobs/${addr}`,
      payload,
      headers: { 'content-type': type },
    });

  it('stores and serves bytes at their hash', async () => {
    const res = await put(sha, bytes);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ sha256: sha, size: bytes.length, created: true });
    expect((await put(sha, bytes)).statusCode).toBe(200);
    const back = await get(`/v1/blobs/${sha}`);
    expect(back.statusCode).toBe(200);
    expect(Buffer.compare(back.rawPayload, bytes)).toBe(0);
  });

  it('refuses bytes that do not hash to the address, oversize blobs and other media types', async () => {
    const other = '0'.repeat(64);
    const r = await put(other, bytes);
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toBe('FLAGSTONE_ERR_HASH_MISMATCH');
    expect((await get(`/v1/blobs/${other}`)).statusCode).toBe(404);
    const big = Buffer.alloc(1024 * 1024 + 1);
    expect((await put(createHash('sha256').update(big).digest('hex'), big)).statusCode).toBe(413);
    expect((await put(sha, bytes, 'text/plain')).statusCode).toBe(415);
  });
});

describe('service surface', () => {
  it('serves the OpenAPI document', async () => {
    const doc = (await get('/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/jobs', '/v1/jobs/{jobId}/entries', '/v1/blobs/{sha256}']),
    );
  });
  it('answers unknown routes with a coded 404', async () => {
    expect((await get('/v2/nothing')).json()).toEqual({
      error: 'FLAGSTONE_ERR_NOT_FOUND',
      message: 'no route GET /v2/nothing',
    });
  });
  it('answers bad JSON with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('FLAGSTONE_ERR_BAD_REQUEST');
  });
});
