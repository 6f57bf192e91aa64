/**
 * `npm run bench:gas`: gas of anchoring on the in-process Hardhat network (DESIGN §4).
 *
 * - anchor: one job's log grows from 2 to 2^20 entries (every power of two and some other
 *   sizes); each head is anchored with the real RFC 9162 consistency proof from the previous
 *   one, made by ledger/'s MemoryTree. Target: ≤ 60 000 + 3 000·log2(n) gas.
 * - anchorMany: 10 jobs each go from 1 000 to 2 000 entries in one transaction; gas per job.
 * - naive: NaiveEntryStore writes every leaf hash to storage, batches of 1 000 (steady state:
 *   the second batch into an existing array; sent as 2 × 500 because of the EIP-7825 per-
 *   transaction gas cap); gas per entry.
 * - ratio at batch 1000: naive per entry ÷ (gas of anchoring 1 000 new entries ÷ 1 000), the
 *   anchor taken from 1 000 000 to 1 001 000 entries. Target: ≥ 200.
 * Writes bench/results/gas.json and prints the table.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import hre from 'hardhat';
import {
  BrowserProvider,
  Contract,
  ContractFactory,
  type Eip1193Provider,
  type Signer,
} from 'ethers';
import { MemoryTree, hashLeaf, toHex } from '../ledger/index.ts';
import { loadArtifact } from '../chain/artifacts.ts';
import { FlagstoneLedgerClient, type JobTerms } from '../chain/ledger-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'bench/results/gas.json');

const POWERS = Array.from({ length: 20 }, (_, k) => 2 ** (k + 1)); // 2 … 2^20
const OTHERS = [3, 5, 7, 100, 1_000, 10_000, 100_000, 1_000_000, 1_001_000];
const SIZES = [...new Set([...POWERS, ...OTHERS])].sort((a, b) => a - b);
const BATCH = 1_000;
const MANY_JOBS = 10;

const target = (n: number) => 60_000 + 3_000 * Math.log2(n);
const jobIdOf = (label: string) => toHex(hashLeaf(new TextEncoder().encode(label)));

/** A tree of `size` leaves whose leaf i is H(0x00 ‖ uint64be(i) ‖ salt). */
function growTree(tree: MemoryTree, size: number, salt: number): void {
  const buf = new Uint8Array(12);
  const view = new DataView(buf.buffer);
  view.setUint32(8, salt);
  while (tree.size < size) {
    view.setUint32(0, Math.floor(tree.size / 2 ** 32));
    view.setUint32(4, tree.size >>> 0);
    tree.append(hashLeaf(buf));
  }
}

async function openJob(
  ledger: FlagstoneLedgerClient,
  jobId: string,
  operator: string,
): Promise<void> {
  const now = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const terms: JobTerms = {
    trainer: operator,
    operator,
    arbiter: operator,
    specHash: jobId,
    payment: 0n,
    trainerStake: 0n,
    verifierStake: 0n,
    verifierFee: 0n,
    flagBounty: 0n,
    auditCount: 0,
    acceptBy: now,
    trainBy: now + 1,
    commitWindow: 0,
    revealWindow: 0,
    flagRevealWindow: 0,
    disputeWindow: 0,
    arbiterWindow: 0,
  };
  await ledger.openJob(jobId, terms, 0n);
}

const hex = (t: MemoryTree, size: number) => toHex(t.root(size));
const proof = (t: MemoryTree, from: number, to: number) =>
  from === 0 ? [] : t.consistencyProof(from, to).map(toHex);

async function benchAnchor(ledger: FlagstoneLedgerClient, operator: string) {
  const jobId = jobIdOf('bench-anchor');
  await openJob(ledger, jobId, operator);
  const tree = new MemoryTree();
  const rows: { size: number; gas: number; proofLength: number; target: number }[] = [];
  let prev = 0;
  for (const size of SIZES) {
    growTree(tree, size, 1);
    const p = proof(tree, prev, size);
    const tx = await ledger.anchor(jobId, size, hex(tree, size), p);
    rows.push({
      size,
      gas: Number(tx.gasUsed),
      proofLength: p.length,
      target: Math.round(target(size)),
    });
    prev = size;
  }
  return rows;
}

async function benchAnchorMany(ledger: FlagstoneLedgerClient, operator: string) {
  const trees: MemoryTree[] = [];
  const ids: string[] = [];
  for (let k = 0; k < MANY_JOBS + 1; k++) {
    const jobId = jobIdOf(`bench-many-${k}`);
    await openJob(ledger, jobId, operator);
    const tree = new MemoryTree();
    growTree(tree, 2 * BATCH, 100 + k);
    await ledger.anchor(jobId, BATCH, hex(tree, BATCH), []);
    trees.push(tree);
    ids.push(jobId);
  }
  const requests = ids.slice(0, MANY_JOBS).map((jobId, k) => ({
    jobId,
    size: 2 * BATCH,
    rootHex: hex(trees[k]!, 2 * BATCH),
    proofHex: proof(trees[k]!, BATCH, 2 * BATCH),
  }));
  const many = await ledger.anchorMany(requests);
  // The same transition alone, for comparison.
  const last = trees[MANY_JOBS]!;
  const single = await ledger.anchor(
    ids[MANY_JOBS]!,
    2 * BATCH,
    hex(last, 2 * BATCH),
    proof(last, BATCH, 2 * BATCH),
  );
  return { perJob: Math.round(Number(many.gasUsed) / MANY_JOBS), single: Number(single.gasUsed) };
}

async function benchNaive(signer: Signer) {
  const { abi, bytecode } = loadArtifact('NaiveEntryStore');
  const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
  await deployed.waitForDeployment();
  const naive = new Contract(await deployed.getAddress(), abi, signer);
  const jobId = `0x${jobIdOf('bench-naive')}`;
  const batch = (salt: number) => {
    const tree = new MemoryTree();
    growTree(tree, BATCH, salt);
    return Array.from({ length: BATCH }, (_, i) => `0x${toHex(tree.leafHash(i))}`);
  };
  // EIP-7825 (Osaka) caps a transaction at 2^24 gas, below 1 000 cold stores (~22.6 M), so
  // each batch of 1 000 goes out as two transactions of 500.
  const store = async (hashes: string[]) => {
    let gas = 0;
    for (let i = 0; i < hashes.length; i += BATCH / 2) {
      const rc = await (
        await naive.getFunction('storeEntries')(jobId, hashes.slice(i, i + BATCH / 2))
      ).wait();
      gas += Number(rc!.gasUsed);
    }
    return gas;
  };
  await store(batch(7)); // warm-up: the array and its length slot exist afterwards
  return (await store(batch(8))) / BATCH;
}

async function main(): Promise<void> {
  // The in-process Hardhat network, through ethers' EIP-1193 adapter (cache off: see chain/provider.ts).
  const provider = new BrowserProvider(hre.network.provider as Eip1193Provider, undefined, {
    cacheTimeout: -1,
  });
  const signer = await provider.getSigner(0);
  const operator = await signer.getAddress();
  const ledger = await FlagstoneLedgerClient.deploy(signer, 4);

  const anchor = await benchAnchor(ledger, operator);
  const many = await benchAnchorMany(ledger, operator);
  const naivePerEntryGas = await benchNaive(signer);
  const batchAnchor = anchor.find((r) => r.size === 1_001_000)!;
  const oursPerEntry = batchAnchor.gas / BATCH;
  const ratio = naivePerEntryGas / oursPerEntry;

  const result = {
    anchor: anchor.map(({ size, gas }) => ({ size, gas })),
    anchorManyPerJobGas: many.perJob,
    naivePerEntryGas: Math.round(naivePerEntryGas * 10) / 10,
    perEntryRatioAt1000: Math.round(ratio * 10) / 10,
    details: {
      anchorTarget: '60000 + 3000*log2(n)',
      allAnchorsWithinTarget: anchor.every((r) => r.gas <= r.target),
      proofLengths: anchor.map(({ size, proofLength }) => ({ size, proofLength })),
      anchorManyJobs: MANY_JOBS,
      anchorSingleSameTransitionGas: many.single,
      batch1000Anchor: {
        from: 1_000_000,
        to: 1_001_000,
        gas: batchAnchor.gas,
        perEntryGas: oursPerEntry,
      },
      compiler: 'solc 0.8.28 (solcjs), optimizer runs 10000, evm cancun',
      network:
        'in-process Hardhat (EDR, hardfork osaka), gasUsed from receipts (includes the 21000 base and calldata)',
      naiveBatching:
        '1000 entries as 2 transactions of 500 (EIP-7825 caps a transaction at 2^24 gas)',
    },
  };
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);

  console.log('anchor gas (each with the consistency proof from the previous head)');
  console.log('      size   proof      gas   target   ok');
  for (const r of anchor) {
    console.log(
      `${String(r.size).padStart(10)} ${String(r.proofLength).padStart(7)} ${String(r.gas).padStart(8)} ${String(r.target).padStart(8)}   ${r.gas <= r.target ? 'yes' : 'NO'}`,
    );
  }
  console.log(
    `anchorMany: ${many.perJob} gas per job (${MANY_JOBS} jobs, 1000→2000 each); alone: ${many.single}`,
  );
  console.log(`naive storage: ${result.naivePerEntryGas} gas per entry (batches of ${BATCH})`);
  console.log(
    `anchoring ${BATCH} entries (1 000 000 → 1 001 000): ${batchAnchor.gas} gas = ${oursPerEntry.toFixed(1)} per entry`,
  );
  console.log(
    `per-entry ratio naive/ours at batch ${BATCH}: ${result.perEntryRatioAt1000}× (target ≥ 200×)`,
  );
  console.log(`wrote ${path.relative(root, OUT)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
