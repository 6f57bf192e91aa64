/** The log operator's checkpoint key, for monitors and the CLI's verify-checkpoint. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { verifierKey } from '../../../ledger/index.ts';
import { publicKeyResponse } from '../../schemas/proofs.ts';

const log: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/log/public-key',
    {
      schema: {
        tags: ['log'],
        summary: 'The Ed25519 key that signs checkpoints',
        response: { 200: publicKeyResponse },
      },
    },
    async () => {
      const { keyName, publicKey } = app.flagstone.signer;
      return {
        keyName,
        publicKey: Buffer.from(publicKey).toString('base64'),
        vkey: verifierKey(keyName, publicKey),
      };
    },
  );
};

export default log;
