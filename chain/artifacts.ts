/**
 * Loads the committed ABI + bytecode in `chain/artifacts/` (written by export-artifacts.ts),
 * so deploying and talking to the contracts needs no compile step.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InterfaceAbi } from 'ethers';

/** Contracts with a committed artifact. */
export type ContractName = 'FlagstoneLedger' | 'RoyaltySplitter' | 'NaiveEntryStore' | 'MockERC20';

/** ABI and creation bytecode of one contract. */
export interface ContractArtifact {
  readonly contractName: ContractName;
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
  readonly deployedBytecode: string;
}

const cache = new Map<ContractName, ContractArtifact>();

/** The committed artifact of `name`. */
export function loadArtifact(name: ContractName): ContractArtifact {
  let artifact = cache.get(name);
  if (!artifact) {
    const file = fileURLToPath(new URL(`./artifacts/${name}.json`, import.meta.url));
    artifact = JSON.parse(readFileSync(file, 'utf8')) as ContractArtifact;
    cache.set(name, artifact);
  }
  return artifact;
}
