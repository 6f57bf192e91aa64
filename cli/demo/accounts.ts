/**
 * The demo's cast: funded Hardhat development accounts derived from the public mnemonic
 * ("test test … junk", BIP-44 path m/44'/60'/0'/0/i). Account #0 is the log operator (it
 * deployed the contracts and anchors heads, see chain/local-chain.ts); every other party has
 * its own account so balances tell the story. These keys are public: local chains only.
 */
import { HDNodeWallet, type JsonRpcProvider, Wallet } from 'ethers';
import { HARDHAT_DEV_PRIVATE_KEY } from '../../chain/index.ts';
import { signerFromKey, type Signer } from '../../prover/signer.ts';

export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

/** One party: an ethers wallet on the demo's provider and the prover's signer for the same key. */
export interface Party {
  readonly role: string;
  readonly wallet: Wallet;
  /** Checksummed address. */
  readonly address: string;
  /** The same key as a prover Signer (EIP-712 digests, state grants). */
  readonly signer: Signer;
}

export interface Cast {
  readonly operator: Party;
  readonly client: Party;
  readonly trainer: Party;
  /** Replays its segments. */
  readonly honestVerifier: Party;
  /** Copies the logged stateRoot instead of replaying. */
  readonly lazyVerifier: Party;
  readonly arbiter: Party;
  /** Data owners, one per island (penguins.json's `Island`), in the order given. */
  readonly owners: ReadonlyMap<string, Party>;
}

function party(role: string, key: string, provider: JsonRpcProvider): Party {
  const wallet = new Wallet(key, provider);
  return { role, wallet, address: wallet.address, signer: signerFromKey(key.replace(/^0x/, '')) };
}

/** Derives the cast; the operator must be the connection's signer (account #0). */
export function castOf(provider: JsonRpcProvider, ownerNames: readonly string[]): Cast {
  const root = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0");
  const key = (i: number) => root.deriveChild(i).privateKey;
  if (key(0) !== HARDHAT_DEV_PRIVATE_KEY) {
    throw new Error(
      'derived account #0 differs from HARDHAT_DEV_PRIVATE_KEY: wrong mnemonic or path',
    );
  }
  return {
    operator: party('log operator', key(0), provider),
    client: party('client', key(1), provider),
    trainer: party('trainer', key(2), provider),
    honestVerifier: party('verifier A (replays)', key(3), provider),
    lazyVerifier: party('verifier B (lazy)', key(4), provider),
    arbiter: party('arbiter', key(5), provider),
    owners: new Map(
      ownerNames.map((name, i) => [name, party(`data owner ${name}`, key(6 + i), provider)]),
    ),
  };
}
