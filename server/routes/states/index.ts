/**
 * Private state blobs (DESIGN §5.6, issue 4 item 6). The true state after entry i answers the
 * flag question for segment [i−1, i] without replay, so state blobs are never public: the
 * trainer stores them with a signed put grant, and only the job's client or trainer may read
 * them (signed get grant) until the audit's access rule exists. Grants are EIP-191 signatures
 * over short-lived messages (prover/client/state-auth.ts); the blob bytes live in the same
 * content-addressed store as public blobs, marked private so the public route refuses them.
 */
import type { Readable } from 'node:stream';
import { verifyMessage } from 'ethers';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  CONTENT_SHA256_HEADER,
  EXPIRES_HEADER,
  MAX_GRANT_SECONDS,
  SIGNATURE_HEADER,
  SIGNER_HEADER,
  stateGrantMessage,
  type StateAction,
} from '../../../prover/client/state-auth.ts';
import { conflict, FlagstoneError, forbidden, notFound, unauthorized } from '../../errors.ts';
import { errorResponses } from '../../schemas/common.ts';
import type {} from '../../plugins/app/services.ts';
import { putStateResponse, stateParams } from './schema.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Recovers who granted `a`; throws 401 on a missing, expired, too-long or bad grant. */
function grantSigner(
  request: FastifyRequest,
  jobId: string,
  index: number,
  a: StateAction,
): string {
  const claimed = header(request, SIGNER_HEADER)?.toLowerCase();
  const signature = header(request, SIGNATURE_HEADER);
  const expiresText = header(request, EXPIRES_HEADER);
  if (!claimed || !signature || !expiresText)
    throw unauthorized(`send ${SIGNER_HEADER}, ${SIGNATURE_HEADER} and ${EXPIRES_HEADER}`);
  if (!/^[0-9]{1,12}$/.test(expiresText))
    throw unauthorized(`${EXPIRES_HEADER} must be unix seconds`);
  const expires = Number(expiresText);
  const now = Math.floor(Date.now() / 1000);
  if (expires < now) throw unauthorized(`grant expired at ${expires}, now ${now}`);
  if (expires > now + MAX_GRANT_SECONDS)
    throw unauthorized(`grant expires at ${expires}, more than ${MAX_GRANT_SECONDS} s ahead`);
  let signer: string;
  try {
    signer = verifyMessage(stateGrantMessage(jobId, index, expires, a), signature).toLowerCase();
  } catch {
    throw unauthorized('grant signature does not verify');
  }
  if (signer !== claimed) throw unauthorized(`grant is not signed by ${claimed}`);
  return signer;
}

const states: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
    done(null, payload),
  );

  app.put(
    '/v1/jobs/:jobId/states/:index',
    {
      schema: {
        tags: ['states'],
        summary:
          'Store the true state of entry `index` (private; trainer grant; application/octet-stream)',
        description: `Headers: ${SIGNER_HEADER}, ${SIGNATURE_HEADER}, ${EXPIRES_HEADER}, ${CONTENT_SHA256_HEADER}. The index may be an appended entry or the next one. A stored state is immutable (409 for other bytes).`,
        params: stateParams,
        response: { 200: putStateResponse, 201: putStateResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { jobId, index } = request.params;
      const { db, blobs, log } = app.flagstone;
      const body = request.body as Readable | undefined;
      try {
        if (
          !(request.headers['content-type'] ?? '').startsWith('application/octet-stream') ||
          !body
        ) {
          throw new FlagstoneError(
            'FLAGSTONE_ERR_UNSUPPORTED_MEDIA_TYPE',
            'send the state as application/octet-stream',
          );
        }
        const sha256 = header(request, CONTENT_SHA256_HEADER) ?? '';
        if (!/^[0-9a-f]{64}$/.test(sha256))
          throw unauthorized(`${CONTENT_SHA256_HEADER} must be 64 lowercase hex digits`);
        const job = await log.job(jobId);
        const signer = grantSigner(request, jobId, index, { action: 'put', sha256 });
        if (signer !== job.trainer)
          throw forbidden(`only the trainer ${job.trainer} may store states, not ${signer}`);
        if (index > job.tipSize)
          throw conflict(`state ${index} is ahead of the log (size ${job.tipSize})`);
        const key = { jobId_index: { jobId, index: BigInt(index) } };
        const existing = await db.stateBlob.findUnique({ where: key });
        if (existing && existing.sha256 !== sha256)
          throw conflict(`state ${index} is already stored as ${existing.sha256}`);
        const stored = await blobs.put(sha256, body);
        await db.blob.upsert({
          where: { sha256 },
          create: { sha256, size: BigInt(stored.size), private: true },
          update: { private: true },
        });
        if (!existing) await db.stateBlob.create({ data: { jobId, index: BigInt(index), sha256 } });
        return reply
          .status(existing ? 200 : 201)
          .send({ jobId, index, sha256, size: stored.size, created: !existing });
      } catch (e) {
        body?.resume(); // drain so the client reads the answer rather than a reset
        throw e;
      }
    },
  );

  app.get(
    '/v1/jobs/:jobId/states/:index',
    {
      schema: {
        tags: ['states'],
        summary: 'Read the true state of entry `index` (job client or trainer grant)',
        description: `Headers: ${SIGNER_HEADER}, ${SIGNATURE_HEADER}, ${EXPIRES_HEADER}.`,
        params: stateParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { jobId, index } = request.params;
      const job = await app.flagstone.log.job(jobId);
      const signer = grantSigner(request, jobId, index, { action: 'get' });
      if (signer !== job.client && signer !== job.trainer) {
        throw forbidden(
          `state blobs of job ${jobId} are readable by its client and trainer only, not ${signer}`,
        );
      }
      const row = await app.flagstone.db.stateBlob.findUnique({
        where: { jobId_index: { jobId, index: BigInt(index) } },
      });
      if (!row) throw notFound(`no state stored for entry ${index} of job ${jobId}`);
      const size = await app.flagstone.blobs.size(row.sha256);
      if (size === undefined) throw notFound(`state blob ${row.sha256} is missing from the store`);
      return reply
        .type('application/octet-stream')
        .header('content-length', String(size))
        .header(CONTENT_SHA256_HEADER, row.sha256)
        .send(app.flagstone.blobs.read(row.sha256) as never);
    },
  );
};

export default states;
