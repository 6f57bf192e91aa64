/**
 * Process entry point: build the app, listen, and close gracefully on SIGINT/SIGTERM (queued
 * appends are drained before the database closes).
 */
import { buildApp } from './app.ts';
import type { ConfigOverrides } from './config.ts';

export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly config?: ConfigOverrides;
  readonly quiet?: boolean;
}

export async function startServer(opts: StartOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await buildApp({
    config: opts.config,
    logger: opts.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const url = await app.listen({ port: opts.port, host: opts.host });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  return { url, close };
}

// `tsx server/server.ts` runs the service directly (the CLI's `serve` is the usual way).
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ port, host: process.env.HOST ?? '127.0.0.1' });
  process.stdout.write(`flagstone listening on ${url}\n`);
}
