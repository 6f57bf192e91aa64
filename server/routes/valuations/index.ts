/** Valuations (issue 5): run a Shapley valuation, read it, and audit its logged evaluations. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../schemas/common.ts';
import {
  createValuationBody,
  evaluationListQuery,
  evaluationListView,
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
    '/v1/valuations/:id/evaluations',
    {
      schema: {
        tags: ['valuations'],
        summary:
          'A page of the logged utility evaluations, in log order (for replaying a valuation)',
        description:
          'Recompute the log root from every entry (RFC 8785 leaf bytes) and check it against the signed head; `flagstone value audit` does this and replays the estimator.',
        params: valuationIdParams,
        querystring: evaluationListQuery,
        response: { 200: evaluationListView, ...errorResponses },
      },
    },
    async (request) =>
      service.evaluations(request.params.id, request.query.from, request.query.limit),
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
