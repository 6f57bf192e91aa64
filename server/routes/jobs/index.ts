/** Jobs: open (client-signed), read, flag commitment (trainer-signed), and the signing domain. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { typedDomain } from '../../../ledger/index.ts';
import { errorResponses, jobIdParams } from '../../schemas/common.ts';
import { domainView, flagsBody, flagsResponse, jobView, openJobBody } from '../../schemas/jobs.ts';

const jobs: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/domain',
    {
      schema: {
        tags: ['jobs'],
        summary: 'The EIP-712 domain every signature must use',
        response: { 200: domainView },
      },
    },
    async () =>
      typedDomain(app.flagstone.log.domain) as {
        name: string;
        version: string;
        chainId: number;
        verifyingContract?: string;
      },
  );

  app.post(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Open a job from a client-signed spec',
        body: openJobBody,
        response: { 201: jobView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await app.flagstone.jobs.open(request.body)),
  );

  app.get(
    '/v1/jobs/:jobId',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job and its log size',
        params: jobIdParams,
        response: { 200: jobView, ...errorResponses },
      },
    },
    async (request) => app.flagstone.jobs.view(request.params.jobId),
  );

  app.post(
    '/v1/jobs/:jobId/flags',
    {
      schema: {
        tags: ['jobs'],
        summary: "Commit the trainer's salted flag set (once, before the first entry)",
        params: jobIdParams,
        body: flagsBody,
        response: { 201: flagsResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { jobId } = request.params;
      await app.flagstone.jobs.commitFlags(jobId, request.body.commitment, request.body.signature);
      return reply.status(201).send({ jobId, commitment: request.body.commitment });
    },
  );
};

export default jobs;
