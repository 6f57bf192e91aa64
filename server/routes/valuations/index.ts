/** Valuations (issue 5): run a Shapley valuation, read it, and audit its logged evaluations. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../schemas/common.ts';
import {
  createValuationBody,
  evaluationParams,
  evaluationView,
  valuationIdParams,
  valuationView,
} from '../../schemas/valuations.ts';
import { ValuationService } from '../../services/valuations.ts';

const valuations: FastifyPluginAsyncZod = async (app) => {
  const { db, signer, config } = app.flagstone;
  const service = new ValuationService(db, signer, config.logName);

  app.post(
    '/v1/valuations',
    {
      schema: {
        tags: ['valuations'],
        summary: 'Run a valuation (synchronously) and store it with its evaluation log',
        description:
          '201 with the result when new; 200 with the stored result when the same request was run before. 422 when the game, method, budget or pool is invalid (nothing is stored).',
        body: createValuationBody,
        response: { 200: valuationView, 201: valuationView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { view, created } = await service.create(request.body);
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/v1/valuations/:id',
    {
      schema: {
        tags: ['valuations'],
        summary: 'Values ± standard errors, evaluations, the signed log head and the payout plan',
        params: valuationIdParams,
        response: { 200: valuationView, ...errorResponses },
      },
    },
    async (request) => service.view(request.params.id),
  );

  app.get(
    '/v1/valuations/:id/evaluations/:index',
    {
      schema: {
        tags: ['valuations'],
        summary:
          'A logged utility evaluation and its RFC 9162 inclusion proof against the log head',
        params: evaluationParams,
        response: { 200: evaluationView, ...errorResponses },
      },
    },
    async (request) => service.evaluation(request.params.id, request.params.index),
  );
};

export default valuations;
