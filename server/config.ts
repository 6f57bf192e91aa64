/** Service configuration: explicit options win, then environment variables, then defaults. */
import path from 'node:path';

export interface ServiceConfig {
  /** Folder for the SQLite database, blobs and the log's signing key. */
  readonly dataDir: string;
  /** `file:` path (SQLite, default inside dataDir) or a postgres:// URL. */
  readonly databaseUrl: string;
  /** Name of this log: the checkpoint key name and the prefix of every job's origin line. */
  readonly logName: string;
  /** EIP-712 domain: chain id and (once deployed) the FlagstoneLedger address. */
  readonly chainId: number;
  readonly verifyingContract?: string;
  /** Largest accepted blob, in bytes. */
  readonly maxBlobBytes: number;
  /** Largest accepted JSON body, in bytes. */
  readonly bodyLimit: number;
  /** Use synchronous=FULL (fsync per commit) rather than NORMAL for SQLite. */
  readonly durableCommits: boolean;
}

export type ConfigOverrides = Partial<ServiceConfig>;

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const dataDir = path.resolve(overrides.dataDir ?? env.FLAGSTONE_DATA_DIR ?? './data');
  const contract = overrides.verifyingContract ?? env.FLAGSTONE_LEDGER_ADDRESS;
  return {
    dataDir,
    databaseUrl:
      overrides.databaseUrl ?? env.DATABASE_URL ?? `file:${path.join(dataDir, 'flagstone.db')}`,
    logName: overrides.logName ?? env.FLAGSTONE_LOG_NAME ?? 'flagstone.local',
    chainId: overrides.chainId ?? intFromEnv(env.CHAIN_ID, 31337),
    ...(contract ? { verifyingContract: contract.toLowerCase() } : {}),
    maxBlobBytes:
      overrides.maxBlobBytes ?? intFromEnv(env.FLAGSTONE_MAX_BLOB_BYTES, 256 * 1024 * 1024),
    bodyLimit: overrides.bodyLimit ?? intFromEnv(env.FLAGSTONE_BODY_LIMIT, 64 * 1024),
    durableCommits: overrides.durableCommits ?? env.FLAGSTONE_SYNCHRONOUS !== 'normal',
  };
}

function intFromEnv(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}
