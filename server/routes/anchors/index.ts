/** The job's anchored tree heads, as recorded by the FlagstoneLedger contract. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, hash32, jobIdParams, uint } from '../../schemas/common.ts';

const anchorView = z.object({ size: uint, rootHex: hash32, txHash: z.string(), blockNumber: uint });

const anchors: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/jobs/:jobId/anchors',
    {
      schema: {
        tags: ['anchors'],
        summary: 'Tree heads of this job anchored on chain, oldest first',
        description: '503 when the service runs without a chain.',
        params: jobIdParams,
        response: { 200: z.array(anchorView), ...errorResponses },
      },
    },
    async (request) =>
      (await app.anchoring.list(request.params.jobId)).map(
        ({ size, rootHex, txHash, blockNumber }) => ({ size, rootHex, txHash, blockNumber }),
      ),
  );
};

export default anchors;
