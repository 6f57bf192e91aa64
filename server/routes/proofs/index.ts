/** Signed checkpoints and RFC 9162 inclusion / consistency proofs. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, jobIdParams } from '../../schemas/common.ts';
import {
  checkpointResponse,
  consistencyQuery,
  consistencyResponse,
  inclusionQuery,
  inclusionResponse,
} from '../../schemas/proofs.ts';

const proofs: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/jobs/:jobId/checkpoint',
    {
      schema: {
        tags: ['proofs'],
        summary:
          'The signed tree head (C2SP checkpoint); `Accept: text/plain` returns the note alone',
        params: jobIdParams,
        response: { 200: checkpointResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cp = await app.flagstone.log.checkpoint(request.params.jobId);
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/plain') && !accept.includes('application/json')) {
        return reply
          .type('text/plain; charset=utf-8')
          .serializer((s: unknown) => s as string)
          .send(cp.note as never);
      }
      return cp;
    },
  );

  app.get(
    '/v1/jobs/:jobId/proof/inclusion',
    {
      schema: {
        tags: ['proofs'],
        summary: 'Inclusion proof of entry `index` in the tree of `size` entries',
        params: jobIdParams,
        querystring: inclusionQuery,
        response: { 200: inclusionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { index, size } = request.query;
      const proof = await app.flagstone.log.inclusionProof(request.params.jobId, index, size);
      return { index, size, ...proof };
    },
  );

  app.get(
    '/v1/jobs/:jobId/proof/consistency',
    {
      schema: {
        tags: ['proofs'],
        summary: 'Consistency proof between tree sizes `from` ≤ `to`',
        params: jobIdParams,
        querystring: consistencyQuery,
        response: { 200: consistencyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return {
        from,
        to,
        path: await app.flagstone.log.consistencyProof(request.params.jobId, from, to),
      };
    },
  );
};

export default proofs;
