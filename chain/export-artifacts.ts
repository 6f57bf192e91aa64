/**
 * Copies ABI and bytecode of the deployable contracts from Hardhat's (git-ignored) build output
 * to `chain/artifacts/<Contract>.json`, which is committed: runtime code (deploy, clients, the
 * local chain) then works on a fresh clone without a compile step. Run by
 * `npm run contracts:build`; test/contracts/artifacts.test.cts fails when these drift from
 * the sources.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Contracts exported, by Solidity source. Test-only ones serve bench/gas.ts and tests. */
export const EXPORTED_CONTRACTS: Readonly<Record<string, string>> = {
  FlagstoneLedger: 'contracts/FlagstoneLedger.sol',
  RoyaltySplitter: 'contracts/RoyaltySplitter.sol',
  NaiveEntryStore: 'contracts/test/NaiveEntryStore.sol',
  MockERC20: 'contracts/test/MockERC20.sol',
};

/** Shape of a committed artifact. */
export interface ExportedArtifact {
  readonly contractName: string;
  readonly sourceName: string;
  readonly solcVersion: string;
  readonly abi: readonly unknown[];
  readonly bytecode: string;
  readonly deployedBytecode: string;
}

const SOLC_VERSION = '0.8.28';

/** Reads the Hardhat artifact of `name` under `root` and returns its exported form. */
export async function buildArtifact(root: string, name: string): Promise<ExportedArtifact> {
  const sourceName = EXPORTED_CONTRACTS[name];
  if (!sourceName) throw new Error(`unknown contract ${name}`);
  const file = path.join(root, 'contracts/artifacts', sourceName, `${name}.json`);
  const hh = JSON.parse(await readFile(file, 'utf8')) as {
    abi: unknown[];
    bytecode: string;
    deployedBytecode: string;
  };
  return {
    contractName: name,
    sourceName,
    solcVersion: SOLC_VERSION,
    abi: hh.abi,
    bytecode: hh.bytecode,
    deployedBytecode: hh.deployedBytecode,
  };
}

/** Writes every exported artifact to `<root>/chain/artifacts`; returns the files written. */
export async function exportArtifacts(root: string): Promise<string[]> {
  const outDir = path.join(root, 'chain/artifacts');
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of Object.keys(EXPORTED_CONTRACTS)) {
    const artifact = await buildArtifact(root, name);
    const out = path.join(outDir, `${name}.json`);
    await writeFile(out, `${JSON.stringify(artifact, null, 2)}\n`);
    written.push(path.relative(root, out));
  }
  return written;
}

// No top-level await: test/contracts/artifacts.test.cts require()s this module.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  exportArtifacts(root).then(
    (files) => console.log(`exported ${files.length} artifacts:\n  ${files.join('\n  ')}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
