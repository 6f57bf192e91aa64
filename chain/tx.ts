/**
 * Sending a contract transaction and waiting for its receipt, with errors mapped to
 * ChainRevertError / ChainTransportError and a bound on how long we wait.
 */
import type { Contract, ContractTransactionResponse, TransactionReceipt } from 'ethers';
import { ChainRevertError, ChainTransportError, toChainError } from './errors.ts';

/** What a mined transaction reports back. */
export interface TxResult {
  readonly txHash: string;
  readonly blockNumber: number;
  readonly gasUsed: bigint;
  readonly receipt: TransactionReceipt;
}

/** Default wait for one confirmation. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 60_000;

/** Calls `method` on `contract` with `args`, waits for one confirmation, maps errors. */
export async function sendTx(
  contract: Contract,
  method: string,
  args: readonly unknown[],
  opts: { value?: bigint; receiptTimeoutMs?: number } = {},
): Promise<TxResult> {
  const parse = (data: string) => contract.interface.parseError(data);
  let response: ContractTransactionResponse;
  try {
    const fn = contract.getFunction(method);
    response = (await (opts.value === undefined
      ? fn(...args)
      : fn(...args, { value: opts.value }))) as ContractTransactionResponse;
  } catch (err) {
    throw toChainError(err, parse);
  }
  let receipt: TransactionReceipt | null;
  try {
    receipt = await response.wait(1, opts.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
  } catch (err) {
    throw toChainError(err, parse);
  }
  if (!receipt) throw new ChainTransportError(`no receipt for ${response.hash}`);
  if (receipt.status !== 1) throw new ChainRevertError('unknown', [response.hash]);
  return {
    txHash: receipt.hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    receipt,
  };
}

/** Runs a read-only call and maps its errors. */
export async function readCall<T>(contract: Contract, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toChainError(err, (data) => contract.interface.parseError(data));
  }
}
