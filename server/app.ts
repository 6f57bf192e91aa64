/**
 * The Flagstone service as a Fastify plugin tree: external plugins, domain services, one error
 * handler, then routes. `server.ts` is only the process entry point.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { loadConfig, type ConfigOverrides } from './config.ts';
import swagger from './plugins/external/swagger.ts';
import services from './plugins/app/services.ts';
import errorHandler from './plugins/app/error-handler.ts';
import jobRoutes from './routes/jobs/index.ts';
import entryRoutes from './routes/entries/index.ts';
import proofRoutes from './routes/proofs/index.ts';
import blobRoutes from './routes/blobs/index.ts';
import logRoutes from './routes/log/index.ts';
import anchorRoutes from './routes/anchors/index.ts';
import anchoringPlugin, { type AnchoringOptions } from './plugins/app/anchoring.ts';

export interface BuildAppOptions {
  readonly config?: ConfigOverrides;
  readonly logger?: FastifyServerOptions['logger'];
  /** Chain connection and cadence for anchoring; without one the service does not anchor. */
  readonly anchoring?: AnchoringOptions;
}

export async function buildApp(opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig(opts.config);
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: config.bodyLimit,
    // The body of a blob PUT is streamed by its own parser; JSON bodies stay small.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger);
  await app.register(services, { config });
  await app.register(anchoringPlugin, opts.anchoring ?? {});
  await app.register(errorHandler);
  await app.register(jobRoutes);
  await app.register(entryRoutes);
  await app.register(proofRoutes);
  await app.register(blobRoutes);
  await app.register(import('./routes/states/index.ts')); // private state blobs (prover, issue 4)
  await app.register(logRoutes);
  await app.register(import('./routes/valuations/index.ts')); // Shapley valuations (issue 5)
  await app.register(anchorRoutes);
  await app.ready();
  return app;
}
