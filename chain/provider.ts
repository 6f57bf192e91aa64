/**
 * JSON-RPC provider with a per-request timeout and a fixed network. A fixed (static) network
 * stops ethers from re-detecting the chain in a background loop while the RPC is down, and the
 * timeout turns a hung endpoint (e.g. a SIGSTOPped node) into a ChainTransportError.
 */
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { ChainTransportError } from './errors.ts';

export interface ProviderOptions {
  /** Per-request timeout, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Chain id if known; otherwise asked once with `eth_chainId`. */
  readonly chainId?: number;
}

/** Asks `rpcUrl` for its chain id (one attempt). */
export async function fetchChainId(rpcUrl: string, timeoutMs = 5_000): Promise<number> {
  const req = new FetchRequest(rpcUrl);
  req.timeout = timeoutMs;
  req.body = { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] };
  try {
    const res = await req.send();
    res.assertOk();
    const json = res.bodyJson as { result?: string };
    if (typeof json.result !== 'string')
      throw new Error(`bad eth_chainId reply ${JSON.stringify(json)}`);
    return Number(BigInt(json.result));
  } catch (err) {
    throw new ChainTransportError(`cannot reach ${rpcUrl}`, { cause: err });
  }
}

/** A provider for `rpcUrl` with a request timeout and a static network. */
export async function createProvider(
  rpcUrl: string,
  opts: ProviderOptions = {},
): Promise<JsonRpcProvider> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const chainId = opts.chainId ?? (await fetchChainId(rpcUrl, timeoutMs));
  const req = new FetchRequest(rpcUrl);
  req.timeout = timeoutMs;
  const network = Network.from(chainId);
  return new JsonRpcProvider(req, network, {
    staticNetwork: network,
    batchMaxCount: 1,
    pollingInterval: 250,
    // ethers dedupes identical requests for 250 ms by default; a cached pending nonce makes
    // back-to-back transactions collide ("nonce too low"), and the worker wants fresh heads.
    cacheTimeout: -1,
  });
}
