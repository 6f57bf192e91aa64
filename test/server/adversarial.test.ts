/**
 * Rejected requests change nothing: fast-check generates malformed and adversarial bodies
 * (wrong index, replayed signatures, another job's signatures, huge bodies, bad hex, unknown
 * fields, wrong types) against a live app; none may produce a 5xx, all must be 4xx with a coded
 * reason, and the log's size, root and entries must be exactly as before.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { EntryChain, openJobRequest, wallet } from '../helpers/actors.ts';

const client = wallet(0x51);
const trainer = wallet(0x52);
const other = wallet(0x53);
let t: TestApp;
let jobA: string;
let jobB: string;
let chainA: EntryChain;
let chainB: EntryChain;
const accepted: { entry: Record<string, unknown>; signature: string }[] = [];
const acceptedB: { entry: Record<string, unknown>; signature: string }[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  const open = async (spec: object) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/v1/jobs',
        payload: await openJobRequest(client, trainer, spec as Record<string, unknown>),
      })
    ).json();
  const a = await open({ name: 'A' });
  const b = await open({ name: 'B' });
  jobA = a.jobId;
  jobB = b.jobId;
  chainA = new EntryChain(jobA, a.specHash, trainer);
  chainB = new EntryChain(jobB, b.specHash, trainer);
  for (let i = 0; i < 5; i++) {
    const e = chainA.next();
    accepted.push(e as never);
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobA}/entries`, payload: e }))
        .statusCode,
    ).toBe(201);
    const f = chainB.next();
    acceptedB.push(f as never);
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobB}/entries`, payload: f }))
        .statusCode,
    ).toBe(201);
  }
});
afterAll(async () => t.close());

async function snapshot(jobId: string) {
  const cp = (await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/checkpoint` })).json();
  const entries = [];
  for (let i = 0; i < cp.size; i++)
    entries.push(
      (await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}/entries/${i}` })).body,
    );
  return { size: cp.size, root: cp.rootHex, entries };
}

const hexChar = fc.constantFrom(...'0123456789abcdefABCDEFxyz'.split(''));
const badHex = fc.oneof(
  fc.string({ unit: hexChar, minLength: 0, maxLength: 70 }),
  fc.constant('0x' + 'a'.repeat(64)),
  fc.constant('A'.repeat(64)),
  fc.integer(),
  fc.constant(null),
);

/** Mutations of a valid next entry (for job A) that must each be refused. */
function adversarialBody(): fc.Arbitrary<{ label: string; url: string; payload: unknown }> {
  const next = () => chainA.peek();
  const field = fc.constantFrom(
    'stateRoot',
    'dataRoot',
    'batchRoot',
    'prevLeaf',
    'jobId',
    'specHash',
    'sealedRoot',
  );
  const numField = fc.constantFrom('index', 'step', 'wallMs', 'v');
  return fc.oneof(
    fc
      .integer({ min: 0, max: 1e6 })
      .filter((i) => i !== 5)
      .map((i) => ({
        label: 'wrong index',
        url: `/v1/jobs/${jobA}/entries`,
        payload: chainA.peek({ index: i }),
      })),
    fc.integer({ min: 0, max: 4 }).map((i) => ({
      label: 'replayed entry',
      url: `/v1/jobs/${jobA}/entries`,
      payload: accepted[i],
    })),
    fc.integer({ min: 0, max: 4 }).map((i) => ({
      label: 'replayed signature on new fields',
      url: `/v1/jobs/${jobA}/entries`,
      payload: { entry: next().entry, signature: accepted[i]!.signature },
    })),
    fc.integer({ min: 0, max: 4 }).map((i) => ({
      label: "other job's entry",
      url: `/v1/jobs/${jobA}/entries`,
      payload: acceptedB[i],
    })),
    fc.constant(null).map(() => {
      const e = next();
      const sig = new EntryChain(jobA, chainA.specHash, other);
      sig.index = 5;
      return {
        label: 'signed by a stranger',
        url: `/v1/jobs/${jobA}/entries`,
        payload: { entry: e.entry, signature: sig.peek({ prevLeaf: e.entry.prevLeaf }).signature },
      };
    }),
    fc.tuple(field, badHex).map(([f, v]) => ({
      label: `bad hex in ${f}`,
      url: `/v1/jobs/${jobA}/entries`,
      payload: { ...next(), entry: { ...next().entry, [f]: v } },
    })),
    fc
      .tuple(
        numField,
        fc.oneof(
          fc.double(),
          fc.constant(-1),
          fc.constant(2 ** 60),
          fc.string(),
          fc.constant(null),
        ),
      )
      .map(([f, v]) => ({
        label: `bad number in ${f}`,
        url: `/v1/jobs/${jobA}/entries`,
        payload: { ...next(), entry: { ...next().entry, [f]: v } },
      })),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !['entry', 'signature'].includes(k))
      .map((k) => ({
        label: `unknown field ${k}`,
        url: `/v1/jobs/${jobA}/entries`,
        payload: { ...next(), [k]: 1 },
      })),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !(k in next().entry))
      .map((k) => ({
        label: `unknown entry field ${k}`,
        url: `/v1/jobs/${jobA}/entries`,
        payload: { ...next(), entry: { ...next().entry, [k]: 'x' } },
      })),
    fc.constant(null).map(() => ({
      label: 'huge body',
      url: `/v1/jobs/${jobA}/entries`,
      payload: { ...next(), pad: 'x'.repeat(200_000) },
    })),
    fc.oneof(fc.string(), fc.integer(), fc.constant([]), fc.constant(null)).map((sig) => ({
      label: 'bad signature',
      url: `/v1/jobs/${jobA}/entries`,
      payload: { ...next(), signature: sig },
    })),
    fc.constant(null).map(() => {
      const e = next();
      const flipped =
        e.signature.slice(0, 10) + (e.signature[10] === '0' ? '1' : '0') + e.signature.slice(11);
      return {
        label: 'bit-flipped signature',
        url: `/v1/jobs/${jobA}/entries`,
        payload: { ...e, signature: flipped },
      };
    }),
    fc.constant(null).map(() => ({
      label: 'flops too large',
      url: `/v1/jobs/${jobA}/entries`,
      payload: { ...next(), entry: { ...next().entry, flops: '9'.repeat(78) } },
    })),
    fc
      .jsonValue()
      .map((v) => ({ label: 'arbitrary JSON', url: `/v1/jobs/${jobA}/entries`, payload: v })),
    fc
      .jsonValue()
      .map((v) => ({ label: 'arbitrary flags body', url: `/v1/jobs/${jobA}/flags`, payload: v })),
    fc.jsonValue().map((v) => ({ label: 'arbitrary job body', url: '/v1/jobs', payload: v })),
    fc.constant(null).map(() => ({
      label: 'late flags',
      url: `/v1/jobs/${jobA}/flags`,
      payload: { commitment: 'ab'.repeat(32), signature: next().signature },
    })),
    fc.string({ minLength: 1, maxLength: 70 }).map((id) => ({
      label: 'bad job id',
      url: `/v1/jobs/${encodeURIComponent(id)}/entries`,
      payload: next(),
    })),
  );
}

describe('adversarial appends (property)', () => {
  it('never answers 5xx, always a coded 4xx, and never changes the log', async () => {
    const before = { a: await snapshot(jobA), b: await snapshot(jobB) };
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(adversarialBody(), async ({ label, url, payload }) => {
        const res = await t.app.inject({
          method: 'POST',
          url,
          payload: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' },
        });
        seen.set(label.split(' in ')[0]!, res.statusCode);
        expect(res.statusCode, `${label}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${label}: ${res.body}`).toBeLessThan(500);
        const body = res.json();
        expect(body.error).toMatch(/^FLAGSTONE_ERR_[A-Z_]+$/);
        expect(body.message.length).toBeGreaterThan(5);
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(await snapshot(jobA)).toEqual(before.a);
    expect(await snapshot(jobB)).toEqual(before.b);
    expect(seen.get('wrong index')).toBe(409);
    expect(seen.get('signed by a stranger')).toBe(401);
    expect(seen.get('huge body')).toBe(413);
    // The honest next entry still goes through afterwards.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/jobs/${jobA}/entries`,
          payload: chainA.peek(),
        })
      ).statusCode,
    ).toBe(201);
  }, 120_000);
});
