/** Appending signed training-state entries and reading them back. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EntryFields } from '../../../ledger/index.ts';
import { errorResponses, jobIdParams } from '../../schemas/common.ts';
import { appendBody, appendResponse, entryParams, entryResponse } from '../../schemas/entries.ts';

const entries: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/jobs/:jobId/entries',
    {
      schema: {
        tags: ['entries'],
        summary: 'Append the next signed entry; acknowledged (201) only once durable',
        description:
          '409 when index is not the next one or prevLeaf is not the newest leaf; 401 when not signed by the trainer; 422 when malformed.',
        params: jobIdParams,
        body: appendBody,
        response: { 201: appendResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await app.flagstone.log.append(
        request.params.jobId,
        request.body.entry,
        request.body.signature,
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/v1/jobs/:jobId/entries/:index',
    {
      schema: {
        tags: ['entries'],
        summary: 'An entry, its signature and leaf hash',
        params: entryParams,
        response: { 200: entryResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { body, signature, leafHash } = await app.flagstone.log.entry(
        request.params.jobId,
        request.params.index,
      );
      const { signature: _sig, ...entry } = JSON.parse(body) as EntryFields & {
        signature: string;
        v: 1;
      };
      return { entry, signature, leafHash };
    },
  );
};

export default entries;
