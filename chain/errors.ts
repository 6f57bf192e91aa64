/**
 * Typed chain errors (viem-style: one base class, `shortMessage`, `details`, `cause`). A
 * contract revert is deterministic and carries the decoded custom error; anything else reaching
 * the RPC (timeouts, refused connections, 5xx) is a transport error and worth retrying.
 */
import type { ErrorDescription } from 'ethers';

/** Base class of every error thrown by `chain/`. */
export class ChainError extends Error {
  override name = 'ChainError';
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(opts.details ? `${shortMessage}\n\nDetails: ${opts.details}` : shortMessage, {
      cause: opts.cause,
    });
    this.shortMessage = shortMessage;
    this.details = opts.details;
  }
}

/** A transaction or call reverted with one of the contract's custom errors. */
export class ChainRevertError extends ChainError {
  override name = 'ChainRevertError';
  constructor(
    /** Custom error name, e.g. `FlagstoneLedgerStaleHead`; `unknown` if it could not be decoded. */
    readonly errorName: string,
    /** Decoded arguments, in ABI order. */
    readonly args: readonly unknown[],
    cause?: unknown,
  ) {
    super(`contract reverted with ${errorName}(${args.map(String).join(', ')})`, { cause });
  }
}

/** The RPC endpoint could not be reached or did not answer in time; safe to retry. */
export class ChainTransportError extends ChainError {
  override name = 'ChainTransportError';
}

/** The local Hardhat node could not be started or stopped. */
export class LocalChainError extends ChainError {
  override name = 'LocalChainError';
}

interface EthersLikeError {
  code?: string;
  revert?: { name: string; args: readonly unknown[] } | null;
  data?: string;
  info?: { error?: { data?: unknown } };
  shortMessage?: string;
  message?: string;
}

/**
 * Maps an ethers error to a ChainRevertError (decoded with `parse` when ethers could not) or a
 * ChainTransportError. Already-typed errors pass through.
 */
export function toChainError(
  err: unknown,
  parse?: (data: string) => ErrorDescription | null,
): ChainError {
  if (err instanceof ChainError) return err;
  const e = (err ?? {}) as EthersLikeError;
  if (e.revert) return new ChainRevertError(e.revert.name, [...e.revert.args], err);
  const data = revertData(e);
  if (data && data !== '0x') {
    const parsed = parse?.(data) ?? null;
    return parsed
      ? new ChainRevertError(parsed.name, [...parsed.args], err)
      : new ChainRevertError('unknown', [data], err);
  }
  if (e.code === 'CALL_EXCEPTION') return new ChainRevertError('unknown', [], err);
  return new ChainTransportError(
    `RPC request failed: ${e.shortMessage ?? e.message ?? String(err)}`,
    {
      details: e.code,
      cause: err,
    },
  );
}

function revertData(e: EthersLikeError): string | undefined {
  if (typeof e.data === 'string') return e.data;
  const inner = e.info?.error?.data;
  if (typeof inner === 'string') return inner;
  if (
    inner &&
    typeof inner === 'object' &&
    typeof (inner as { data?: unknown }).data === 'string'
  ) {
    return (inner as { data: string }).data;
  }
  return undefined;
}
