/**
 * The embedded default chain (DESIGN §4): a Hardhat node process on 127.0.0.1 with the
 * contracts deployed. Used by `npm run chain` and by the service/CLI when no `CHAIN_RPC_URL`
 * is configured. Hardhat keeps its state in memory: stopping the process loses it, so
 * `pause()`/`resume()` (SIGSTOP/SIGCONT) are what tests use to simulate an unreachable chain.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wallet } from 'ethers';
import { type DeployedAddresses, deployContracts } from './deploy.ts';
import { LocalChainError } from './errors.ts';
import { createProvider, fetchChainId } from './provider.ts';

/**
 * Account #0 of Hardhat's public development mnemonic ("test test … junk"). It is funded with
 * 10 000 ETH on every Hardhat node and known to everyone: never use it on a real network.
 */
export const HARDHAT_DEV_PRIVATE_KEY =
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface LocalChainOptions {
  /** Port; 0 picks a free one (default 8545). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1: the node has funded, publicly known keys). */
  readonly hostname?: string;
  /** Deploy the contracts after start (default true). */
  readonly deploy?: boolean;
  /** Audit seed delay for the deployed ledger. */
  readonly seedDelay?: number;
  /** Append the node's output here; discarded when unset. */
  readonly logFile?: string;
  /** How long to wait for the node to answer (default 60 s). */
  readonly readyTimeoutMs?: number;
}

/** Contents of `<dataDir>/chain.json`, written by `npm run chain` (local-node.ts). */
export interface LocalChainFile {
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly pid: number;
  readonly flagstoneLedger: string;
  readonly royaltySplitter: string;
  readonly deployer: string;
  readonly seedDelay: number;
}

/** A running local chain. */
export interface LocalChain {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** Funded operator key (HARDHAT_DEV_PRIVATE_KEY). */
  readonly privateKey: string;
  /** Undefined when started with `deploy: false`. */
  readonly addresses: DeployedAddresses | undefined;
  readonly pid: number;
  /** Freezes the node (SIGSTOP): requests hang until `resume`; state is kept. */
  pause(): void;
  /** Unfreezes the node (SIGCONT). */
  resume(): void;
  /** Terminates the node (state is lost); resolves when the process has exited. */
  stop(): Promise<void>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_LINE = /Started HTTP and WebSocket JSON-RPC server at (http:\/\/\S+?)\/?\s/;

/** Starts `hardhat node`, waits until it answers, and (by default) deploys the contracts. */
export async function startLocalChain(opts: LocalChainOptions = {}): Promise<LocalChain> {
  const hostname = opts.hostname ?? '127.0.0.1';
  const port = opts.port ?? 8545;
  const hardhatBin = createRequire(import.meta.url).resolve('hardhat/internal/cli/bootstrap.js');
  const child = spawn(
    process.execPath,
    [hardhatBin, 'node', '--hostname', hostname, '--port', String(port)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    },
  );
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  let rpcUrl: string | undefined;
  let output = '';
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    if (rpcUrl) return;
    output = (output + chunk.toString('utf8')).slice(-8192);
    const m = READY_LINE.exec(output);
    if (m) rpcUrl = m[1];
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const chain = makeHandle(child, exited, () => log?.end());
  try {
    const url = await waitForReady(
      child,
      () => rpcUrl,
      opts.readyTimeoutMs ?? 60_000,
      () => output,
    );
    const chainId = await fetchChainId(url);
    const addresses =
      opts.deploy === false ? undefined : await deployOn(url, chainId, opts.seedDelay);
    return { ...chain, rpcUrl: url, chainId, privateKey: HARDHAT_DEV_PRIVATE_KEY, addresses };
  } catch (err) {
    await chain.stop();
    throw err;
  }
}

async function deployOn(
  rpcUrl: string,
  chainId: number,
  seedDelay?: number,
): Promise<DeployedAddresses> {
  const provider = await createProvider(rpcUrl, { chainId });
  try {
    return await deployContracts(new Wallet(HARDHAT_DEV_PRIVATE_KEY, provider), { seedDelay });
  } finally {
    provider.destroy();
  }
}

async function waitForReady(
  child: ChildProcess,
  url: () => string | undefined,
  timeoutMs: number,
  output: () => string,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new LocalChainError('hardhat node exited before it was ready', {
        details: output().slice(-2000),
      });
    }
    const u = url();
    if (u) {
      try {
        await fetchChainId(u, 1_000);
        return u;
      } catch {
        // Listening line seen but not answering yet; poll again.
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LocalChainError(`hardhat node not ready after ${timeoutMs} ms`, {
    details: output().slice(-2000),
  });
}

function makeHandle(child: ChildProcess, exited: Promise<void>, onExit: () => void) {
  const pid = child.pid;
  if (pid === undefined) throw new LocalChainError('could not spawn hardhat node');
  const signal = (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, s);
  };
  return {
    pid,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    stop: async () => {
      // A stopped process keeps SIGTERM pending, so continue it first.
      signal('SIGCONT');
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      onExit();
    },
  };
}
