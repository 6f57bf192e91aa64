/**
 * The one error handler: maps every failure to `{error, message}` with a FLAGSTONE_ERR_* code.
 * Schema failures name the field; 5xx responses never carry internals (they go to the log).
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES, FlagstoneError, type ErrorCode } from '../../errors.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'FLAGSTONE_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FLAGSTONE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'FLAGSTONE_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FLAGSTONE_ERR_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'FLAGSTONE_ERR_BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'FLAGSTONE_ERR_BAD_REQUEST',
  FST_ERR_VALIDATION: 'FLAGSTONE_ERR_VALIDATION',
  P2002: 'FLAGSTONE_ERR_CONFLICT',
};

function describeValidation(err: FastifyError): { code: ErrorCode; message: string } {
  const context = (err as { validationContext?: string }).validationContext ?? 'body';
  const issues = (err.validation ?? []).slice(0, 5).map((v) => {
    const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    return `${context}${where ? `.${where}` : ''}: ${v.message ?? 'invalid'}`;
  });
  return {
    code: context === 'body' ? 'FLAGSTONE_ERR_VALIDATION' : 'FLAGSTONE_ERR_BAD_REQUEST',
    message: issues.join('; ') || err.message,
  };
}

async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let code: ErrorCode;
    let message: string;
    if (err instanceof FlagstoneError) {
      ({ code, message } = err);
    } else if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      ({ code, message } = describeValidation(err));
    } else if (err.code && FASTIFY_CODES[err.code]) {
      code = FASTIFY_CODES[err.code]!;
      message = err.code === 'P2002' ? 'the resource already exists' : err.message;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      code = 'FLAGSTONE_ERR_BAD_REQUEST';
      message = err.message;
    } else {
      code = 'FLAGSTONE_ERR_INTERNAL';
      message = 'internal error';
    }
    const status = ERROR_CODES[code].status;
    if (status >= 500) request.log.error({ err }, 'request failed');
    if (status >= 500 && code !== 'FLAGSTONE_ERR_INTERNAL') message = (err as Error).message;
    return reply
      .status(status)
      .type('application/json')
      .serializer(JSON.stringify)
      .send({ error: code, message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'FLAGSTONE_ERR_NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

export default fp(errorHandler, { name: 'flagstone-error-handler', fastify: '5.x' });
