/**
 * Process entry point: connect the chain (unless disabled), build the app, listen, and close
 * gracefully on SIGINT/SIGTERM (queued appends are drained before the database closes, the
 * anchoring worker stops, an embedded chain node is stopped last).
 */
import { connectChain, type ChainConnection } from '../chain/index.ts';
import { buildApp } from './app.ts';
import type { ConfigOverrides } from './config.ts';

export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly config?: ConfigOverrides;
  readonly quiet?: boolean;
  /** Anchor on chain: CHAIN_RPC_URL if set, else a local Hardhat node (default true). */
  readonly chain?: boolean;
  readonly anchorEveryEntries?: number;
  readonly anchorEveryMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly chain?: ChainConnection;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const chain =
    opts.chain === false ? undefined : await connectChain({ dataDir: opts.config?.dataDir });
  const app = await buildApp({
    config: {
      ...opts.config,
      ...(chain ? { chainId: chain.chainId, verifyingContract: chain.ledger.address } : {}),
    },
    logger: opts.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' },
    anchoring: { chain, everyEntries: opts.anchorEveryEntries, everyMs: opts.anchorEveryMs },
  });
  const url = await app.listen({ port: opts.port, host: opts.host });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await chain?.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  return { url, chain, close };
}
