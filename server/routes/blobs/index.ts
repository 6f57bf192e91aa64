/**
 * Public content-addressed blobs (data shards, specs, artifacts). The body is streamed straight
 * to disk while hashed; it is refused unless it hashes to the address in the path. Private blobs
 * (training states, DESIGN §5.6) are never served here.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { FlagstoneError, notFound } from '../../errors.ts';
import { blobParams, putBlobResponse } from '../../schemas/blobs.ts';
import { errorResponses } from '../../schemas/common.ts';

const blobs: FastifyPluginAsyncZod = async (app) => {
  // Hand the raw request stream to the route; size is enforced while streaming.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
    done(null, payload),
  );

  app.put(
    '/v1/blobs/:sha256',
    {
      schema: {
        tags: ['blobs'],
        summary: 'Store bytes at their SHA-256 address (application/octet-stream, streamed)',
        params: blobParams,
        response: { 200: putBlobResponse, 201: putBlobResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { blobs: store, db, config } = app.flagstone;
      const { sha256 } = request.params;
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > config.maxBlobBytes) {
        throw new FlagstoneError(
          'FLAGSTONE_ERR_PAYLOAD_TOO_LARGE',
          `blob of ${declared} bytes exceeds the limit of ${config.maxBlobBytes}`,
        );
      }
      if (
        !(request.headers['content-type'] ?? '').startsWith('application/octet-stream') ||
        !request.body
      ) {
        throw new FlagstoneError(
          'FLAGSTONE_ERR_UNSUPPORTED_MEDIA_TYPE',
          'send the blob as application/octet-stream',
        );
      }
      const existing = await db.blob.findUnique({ where: { sha256 } });
      if (existing?.private)
        throw new FlagstoneError('FLAGSTONE_ERR_CONFLICT', 'this address holds a private blob');
      const result = await store.put(sha256, request.body as Readable);
      await db.blob.upsert({
        where: { sha256 },
        create: { sha256, size: BigInt(result.size) },
        update: {},
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/blobs/:sha256',
    {
      schema: {
        tags: ['blobs'],
        summary: 'Read a public blob',
        params: blobParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { sha256 } = request.params;
      const row = await app.flagstone.db.blob.findUnique({ where: { sha256 } });
      if (!row || row.private) throw notFound(`blob ${sha256} not found`);
      return reply
        .type('application/octet-stream')
        .header('content-length', String(row.size))
        .send(app.flagstone.blobs.read(sha256) as never);
    },
  );
};

export default blobs;
