/**
 * Fixtures and protocol drivers for FlagstoneLedger tests: deploy, default terms, and the
 * simulated training/audit data of DESIGN §5 (true, perturbed and faked state roots).
 */
import { ethers } from 'hardhat';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import type { Contract } from 'ethers';
import {
  flagCommitment as ledgerFlagCommitment,
  sealedRoot as ledgerSealedRoot,
} from '../../../ledger/index.ts';
import { latestTime, mineBlocks } from './network.cts';
import { TestLog } from './tree.cts';

export const SEED_DELAY = 3;
export const HOUR = 3600;
export const { parseEther } = ethers;

/** Job terms as the contract takes them. */
export interface Terms {
  trainer: string;
  operator: string;
  arbiter: string;
  specHash: string;
  payment: bigint;
  trainerStake: bigint;
  verifierStake: bigint;
  verifierFee: bigint;
  flagBounty: bigint;
  auditCount: number;
  acceptBy: number;
  trainBy: number;
  commitWindow: number;
  revealWindow: number;
  flagRevealWindow: number;
  disputeWindow: number;
  arbiterWindow: number;
}

export interface Actors {
  operator: HardhatEthersSigner;
  client: HardhatEthersSigner;
  trainer: HardhatEthersSigner;
  arbiter: HardhatEthersSigner;
  verifiers: HardhatEthersSigner[];
  stranger: HardhatEthersSigner;
}

export async function actors(): Promise<Actors> {
  const s = await ethers.getSigners();
  return {
    operator: s[0]!,
    client: s[1]!,
    trainer: s[2]!,
    arbiter: s[3]!,
    verifiers: [s[4]!, s[5]!, s[6]!, s[7]!],
    stranger: s[8]!,
  };
}

export async function deployLedger(): Promise<Contract> {
  const ledger = await ethers.deployContract('FlagstoneLedger', [SEED_DELAY]);
  await ledger.waitForDeployment();
  return ledger as unknown as Contract;
}

/** 32-byte id from a label. */
export const id32 = (label: string): string => ethers.id(label);

/** Default terms relative to the latest block time. */
export async function defaultTerms(a: Actors, overrides: Partial<Terms> = {}): Promise<Terms> {
  const now = await latestTime();
  return {
    trainer: a.trainer.address,
    operator: a.operator.address,
    arbiter: a.arbiter.address,
    specHash: id32('spec'),
    payment: parseEther('10'),
    trainerStake: parseEther('5'),
    verifierStake: parseEther('1'),
    verifierFee: parseEther('0.1'),
    flagBounty: parseEther('0.5'),
    auditCount: 4,
    acceptBy: now + 24 * HOUR,
    trainBy: now + 240 * HOUR,
    commitWindow: HOUR,
    revealWindow: HOUR,
    flagRevealWindow: HOUR,
    disputeWindow: HOUR,
    arbiterWindow: HOUR,
    ...overrides,
  };
}

export const escrowOf = (t: Terms): bigint =>
  t.payment + BigInt(t.auditCount) * (t.verifierFee + t.flagBounty);

/**
 * Simulated training run: entry i's true state root, the logged one (perturbed for flags,
 * faked where the trainer cheats) and its sealed root, with the ledger library's encodings.
 */
export class SimulatedRun {
  readonly salt = id32('salt');
  readonly flagged: Set<number>;
  readonly faked: Set<number>;

  constructor(
    readonly size: number,
    flagged: Iterable<number>,
    faked: Iterable<number> = [],
  ) {
    this.flagged = new Set(flagged);
    this.faked = new Set(faked);
  }

  get sortedFlags(): number[] {
    return [...this.flagged].sort((x, y) => x - y);
  }

  commitment(): string {
    return `0x${ledgerFlagCommitment(this.salt.slice(2), this.sortedFlags)}`;
  }

  trueRoot(i: number): string {
    return id32(`true-${i}`);
  }

  loggedRoot(i: number): string {
    if (this.flagged.has(i)) return id32(`perturbed-${i}`);
    if (this.faked.has(i)) return id32(`faked-${i}`);
    return this.trueRoot(i);
  }

  sealed(i: number): string {
    return `0x${ledgerSealedRoot(this.salt.slice(2), i, this.trueRoot(i).slice(2))}`;
  }
}

/** Deployed ledger plus actors; no job. */
export async function baseFixture() {
  const a = await actors();
  const ledger = await deployLedger();
  return { a, ledger };
}

/**
 * Opens a job with `terms`, accepts it with `run`'s flag commitment, anchors a log of
 * `run.size` entries in two steps and (optionally) closes training and waits for the seed.
 */
export async function driveToAudit(
  ledger: Contract,
  a: Actors,
  jobId: string,
  terms: Terms,
  run: SimulatedRun,
  opts: { close?: boolean; recordSeed?: boolean } = {},
): Promise<TestLog> {
  await (ledger.connect(a.client) as Contract).openJob(jobId, terms, { value: escrowOf(terms) });
  await (ledger.connect(a.trainer) as Contract).acceptJob(jobId, run.commitment(), {
    value: terms.trainerStake,
  });
  const log = new TestLog(jobId).growTo(Math.max(1, run.size >> 1));
  await (ledger.connect(a.operator) as Contract).anchor(jobId, log.tree.size, log.root(), []);
  const from = log.tree.size;
  log.growTo(run.size);
  if (run.size > from) {
    await (ledger.connect(a.operator) as Contract).anchor(
      jobId,
      run.size,
      log.root(),
      log.proof(from),
    );
  }
  if (opts.close === false) return log;
  await (ledger.connect(a.trainer) as Contract).closeTraining(jobId);
  await mineBlocks(SEED_DELAY + 1);
  if (opts.recordSeed !== false) await ledger.recordAuditSeed(jobId);
  return log;
}

/** Audited index of every slot. */
export async function auditedIndices(
  ledger: Contract,
  jobId: string,
  count: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let s = 0; s < count; s++) out.push(Number(await ledger.auditedIndex(jobId, s)));
  return out;
}

/** Verdict a verifier of the given behaviour reports for entry i. */
export function verdictFor(run: SimulatedRun, i: number, behaviour: 'honest' | 'lazy' | 'wrong') {
  const computedRoot =
    behaviour === 'honest'
      ? run.trueRoot(i)
      : behaviour === 'lazy'
        ? run.loggedRoot(i)
        : id32(`wrong-${i}`);
  return {
    computedRoot,
    stateRoot: run.loggedRoot(i),
    sealedRoot: run.sealed(i),
    nonce: id32(`nonce-${i}`),
  };
}
