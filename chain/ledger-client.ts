/**
 * Typed ethers v6 client for FlagstoneLedger (contracts/FlagstoneLedger.sol). Hashes and job ids
 * are taken and returned in the ledger's text form (64 lowercase hex digits, no prefix).
 */
import {
  AbiCoder,
  Contract,
  ContractFactory,
  type ContractRunner,
  type Signer,
  getBytes,
  sha256,
} from 'ethers';
import { loadArtifact } from './artifacts.ts';
import { fromBytes32, toBytes32 } from './bytes32.ts';
import { type TxResult, readCall, sendTx } from './tx.ts';

/** Job lifecycle status (IFlagstoneLedger.Status). */
export enum JobStatus {
  None = 0,
  Open = 1,
  Active = 2,
  Auditing = 3,
  Settled = 4,
  Cancelled = 5,
}

/** How a settled job ended (IFlagstoneLedger.Outcome). */
export enum JobOutcome {
  None = 0,
  Completed = 1,
  Fraud = 2,
  TrainerDefault = 3,
  Cancelled = 4,
}

/** State of one audit slot (IFlagstoneLedger.VerdictState). */
export enum VerdictState {
  None = 0,
  Committed = 1,
  Revealed = 2,
  Consistent = 3,
  Captured = 4,
  Lazy = 5,
  FraudClaim = 6,
  Disputed = 7,
  Fraud = 8,
  FalseClaim = 9,
}

/** Terms of a job (IFlagstoneLedger.JobTerms); amounts in wei, times in unix seconds. */
export interface JobTerms {
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

/** Mutable job state (IFlagstoneLedger.JobState). */
export interface JobState {
  client: string;
  status: JobStatus;
  outcome: JobOutcome;
  flagsRevealed: boolean;
  verifierCount: number;
  pendingDisputes: number;
  closedAt: number;
  seedBlock: number;
  finalSize: number;
  finalRoot: string;
  flagCommitment: string;
  auditSeed: string;
  salt: string;
}

/** The latest anchored head of a job. */
export interface AnchoredHeadView {
  size: number;
  rootHex: string;
  /** Account allowed to anchor; the zero address for an unknown job. */
  operator: string;
}

/** One `HeadAnchored` event: the list `GET /v1/jobs/:jobId/anchors` serves. */
export interface AnchorRecord {
  size: number;
  rootHex: string;
  previousSize: number;
  txHash: string;
  blockNumber: number;
}

/** One element of `anchorMany`. */
export interface AnchorRequest {
  jobId: string;
  size: number;
  rootHex: string;
  proofHex: readonly string[];
}

/** One audit slot's verdict. */
export interface Verdict {
  verifier: string;
  state: VerdictState;
  commitment: string;
  computedRoot: string;
  stateRoot: string;
  sealedRoot: string;
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Client for one deployed FlagstoneLedger. */
export class FlagstoneLedgerClient {
  readonly contract: Contract;

  constructor(
    readonly address: string,
    runner: ContractRunner,
  ) {
    this.contract = new Contract(address, loadArtifact('FlagstoneLedger').abi, runner);
  }

  /** Deploys a new ledger whose audit seed lies `seedDelay` blocks after closing. */
  static async deploy(signer: Signer, seedDelay = 4): Promise<FlagstoneLedgerClient> {
    const { abi, bytecode } = loadArtifact('FlagstoneLedger');
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy(seedDelay);
    await deployed.waitForDeployment();
    return new FlagstoneLedgerClient(await deployed.getAddress(), signer);
  }

  /** The same contract through another signer or provider. */
  connect(runner: ContractRunner): FlagstoneLedgerClient {
    return new FlagstoneLedgerClient(this.address, runner);
  }

  // ------------------------------------------------------------------ views

  async head(jobId: string): Promise<AnchoredHeadView> {
    const [size, root, operator] = await this.read<[bigint, string, string]>(
      'head',
      toBytes32(jobId),
    );
    return { size: Number(size), rootHex: fromBytes32(root), operator };
  }

  /** Whether `jobId` was opened on this ledger. */
  async exists(jobId: string): Promise<boolean> {
    return (await this.head(jobId)).operator !== ZERO_ADDRESS;
  }

  async jobTerms(jobId: string): Promise<JobTerms> {
    const t = await this.read<Record<string, unknown>>('jobTerms', toBytes32(jobId));
    return {
      trainer: t.trainer as string,
      operator: t.operator as string,
      arbiter: t.arbiter as string,
      specHash: fromBytes32(t.specHash as string),
      payment: t.payment as bigint,
      trainerStake: t.trainerStake as bigint,
      verifierStake: t.verifierStake as bigint,
      verifierFee: t.verifierFee as bigint,
      flagBounty: t.flagBounty as bigint,
      auditCount: Number(t.auditCount),
      acceptBy: Number(t.acceptBy),
      trainBy: Number(t.trainBy),
      commitWindow: Number(t.commitWindow),
      revealWindow: Number(t.revealWindow),
      flagRevealWindow: Number(t.flagRevealWindow),
      disputeWindow: Number(t.disputeWindow),
      arbiterWindow: Number(t.arbiterWindow),
    };
  }

  async jobState(jobId: string): Promise<JobState> {
    const s = await this.read<Record<string, unknown>>('jobState', toBytes32(jobId));
    return {
      client: s.client as string,
      status: Number(s.status) as JobStatus,
      outcome: Number(s.outcome) as JobOutcome,
      flagsRevealed: s.flagsRevealed as boolean,
      verifierCount: Number(s.verifierCount),
      pendingDisputes: Number(s.pendingDisputes),
      closedAt: Number(s.closedAt),
      seedBlock: Number(s.seedBlock),
      finalSize: Number(s.finalSize),
      finalRoot: fromBytes32(s.finalRoot as string),
      flagCommitment: fromBytes32(s.flagCommitment as string),
      auditSeed: fromBytes32(s.auditSeed as string),
      salt: fromBytes32(s.salt as string),
    };
  }

  /** Inclusive ends (unix seconds) of the commit, reveal, flag, dispute and arbiter windows. */
  async deadlines(jobId: string): Promise<{
    commitEnd: number;
    revealEnd: number;
    flagEnd: number;
    disputeEnd: number;
    arbiterEnd: number;
  }> {
    const d = await this.read<bigint[]>('deadlines', toBytes32(jobId));
    const [commitEnd, revealEnd, flagEnd, disputeEnd, arbiterEnd] = d.map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    return { commitEnd, revealEnd, flagEnd, disputeEnd, arbiterEnd };
  }

  async verdict(jobId: string, slot: number): Promise<Verdict> {
    const v = await this.read<Record<string, unknown>>('verdict', toBytes32(jobId), slot);
    return {
      verifier: v.verifier as string,
      state: Number(v.state) as VerdictState,
      commitment: fromBytes32(v.commitment as string),
      computedRoot: fromBytes32(v.computedRoot as string),
      stateRoot: fromBytes32(v.stateRoot as string),
      sealedRoot: fromBytes32(v.sealedRoot as string),
    };
  }

  async verifiers(jobId: string): Promise<string[]> {
    return [...(await this.read<string[]>('verifiers', toBytes32(jobId)))];
  }

  async withdrawable(account: string): Promise<bigint> {
    return this.read<bigint>('withdrawable', account);
  }

  /** The audit seed once available (recorded or derivable from a recent block hash). */
  async auditSeed(jobId: string): Promise<{ seedHex: string; available: boolean }> {
    const [seed, available] = await this.read<[string, boolean]>('auditSeed', toBytes32(jobId));
    return { seedHex: fromBytes32(seed), available };
  }

  /** Entry index audited by `slot` (segment [i − 1, i]); needs the recorded seed. */
  async auditedIndex(jobId: string, slot: number): Promise<number> {
    return Number(await this.read<bigint>('auditedIndex', toBytes32(jobId), slot));
  }

  /** Escrow `openJob` needs for `terms`. */
  async requiredEscrow(terms: JobTerms): Promise<bigint> {
    return this.read<bigint>('requiredEscrow', encodeTerms(terms));
  }

  /** Every anchor of `jobId`, oldest first, from `HeadAnchored` events. */
  async anchorsOf(jobId: string, fromBlock = 0): Promise<AnchorRecord[]> {
    const filter = this.contract.filters.HeadAnchored!(toBytes32(jobId));
    const logs = await readCall(this.contract, () => this.contract.queryFilter(filter, fromBlock));
    return logs.map((log) => {
      const parsed = this.contract.interface.parseLog(log)!;
      return {
        size: Number(parsed.args.size),
        rootHex: fromBytes32(parsed.args.root as string),
        previousSize: Number(parsed.args.previousSize),
        txHash: log.transactionHash,
        blockNumber: log.blockNumber,
      };
    });
  }

  // ------------------------------------------------------------------ writes

  /** Opens a job, sending the required escrow unless `value` is given. */
  async openJob(jobId: string, terms: JobTerms, value?: bigint): Promise<TxResult> {
    const escrow = value ?? (await this.requiredEscrow(terms));
    return sendTx(this.contract, 'openJob', [toBytes32(jobId), encodeTerms(terms)], {
      value: escrow,
    });
  }

  acceptJob(jobId: string, flagCommitmentHex: string, stake: bigint): Promise<TxResult> {
    return sendTx(this.contract, 'acceptJob', [toBytes32(jobId), toBytes32(flagCommitmentHex)], {
      value: stake,
    });
  }

  cancelJob(jobId: string): Promise<TxResult> {
    return sendTx(this.contract, 'cancelJob', [toBytes32(jobId)]);
  }

  expireTraining(jobId: string): Promise<TxResult> {
    return sendTx(this.contract, 'expireTraining', [toBytes32(jobId)]);
  }

  closeTraining(jobId: string): Promise<TxResult> {
    return sendTx(this.contract, 'closeTraining', [toBytes32(jobId)]);
  }

  /** Anchors `(size, root)` with the RFC 9162 consistency proof from the anchored head. */
  anchor(
    jobId: string,
    size: number,
    rootHex: string,
    proofHex: readonly string[],
    receiptTimeoutMs?: number,
  ): Promise<TxResult> {
    return sendTx(
      this.contract,
      'anchor',
      [toBytes32(jobId), size, toBytes32(rootHex), proofHex.map(toBytes32)],
      {
        receiptTimeoutMs,
      },
    );
  }

  /** Anchors several jobs in one transaction (all or nothing). */
  anchorMany(requests: readonly AnchorRequest[], receiptTimeoutMs?: number): Promise<TxResult> {
    const encoded = requests.map((r) => ({
      jobId: toBytes32(r.jobId),
      size: r.size,
      root: toBytes32(r.rootHex),
      proof: r.proofHex.map(toBytes32),
    }));
    return sendTx(this.contract, 'anchorMany', [encoded], { receiptTimeoutMs });
  }

  recordAuditSeed(jobId: string): Promise<TxResult> {
    return sendTx(this.contract, 'recordAuditSeed', [toBytes32(jobId)]);
  }

  registerVerifier(jobId: string, stake: bigint): Promise<TxResult> {
    return sendTx(this.contract, 'registerVerifier', [toBytes32(jobId)], { value: stake });
  }

  commitVerdict(jobId: string, slot: number, commitmentHex: string): Promise<TxResult> {
    return sendTx(this.contract, 'commitVerdict', [
      toBytes32(jobId),
      slot,
      toBytes32(commitmentHex),
    ]);
  }

  revealVerdict(
    jobId: string,
    slot: number,
    v: { computedRoot: string; stateRoot: string; sealedRoot: string; nonce: string },
  ): Promise<TxResult> {
    return sendTx(this.contract, 'revealVerdict', [
      toBytes32(jobId),
      slot,
      toBytes32(v.computedRoot),
      toBytes32(v.stateRoot),
      toBytes32(v.sealedRoot),
      toBytes32(v.nonce),
    ]);
  }

  revealFlags(jobId: string, saltHex: string, sortedIndices: readonly number[]): Promise<TxResult> {
    return sendTx(this.contract, 'revealFlags', [
      toBytes32(jobId),
      toBytes32(saltHex),
      [...sortedIndices],
    ]);
  }

  disputeVerdict(jobId: string, slot: number): Promise<TxResult> {
    return sendTx(this.contract, 'disputeVerdict', [toBytes32(jobId), slot]);
  }

  resolveDispute(jobId: string, slot: number, fraudProven: boolean): Promise<TxResult> {
    return sendTx(this.contract, 'resolveDispute', [toBytes32(jobId), slot, fraudProven]);
  }

  settle(jobId: string): Promise<TxResult> {
    return sendTx(this.contract, 'settle', [toBytes32(jobId)]);
  }

  withdraw(): Promise<TxResult> {
    return sendTx(this.contract, 'withdraw', []);
  }

  private read<T>(method: string, ...args: unknown[]): Promise<T> {
    return readCall(
      this.contract,
      () => this.contract.getFunction(method).staticCall(...args) as Promise<T>,
    );
  }
}

/** ABI form of `JobTerms` (bytes32 spec hash). */
export function encodeTerms(t: JobTerms): Record<string, unknown> {
  return { ...t, specHash: toBytes32(t.specHash) };
}

/**
 * Verdict commitment as FlagstoneLedger computes it:
 * SHA-256(abi.encode(bytes32 jobId, uint256 slot, address verifier, bytes32 R', bytes32 nonce)).
 */
export function verdictCommitment(
  jobId: string,
  slot: number,
  verifier: string,
  computedRootHex: string,
  nonceHex: string,
): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ['bytes32', 'uint256', 'address', 'bytes32', 'bytes32'],
    [toBytes32(jobId), slot, verifier, toBytes32(computedRootHex), toBytes32(nonceHex)],
  );
  return fromBytes32(sha256(getBytes(encoded)));
}

/**
 * Terms for a job that exists on chain only so its log can be anchored (no escrow, no audits):
 * the service can open these for jobs whose client never opened one (AnchorWorker's
 * `onUnknownJob`). The operator is trainer and arbiter too; nobody can gain anything from it.
 */
export function anchorOnlyTerms(operator: string, specHash: string, nowSeconds: number): JobTerms {
  return {
    trainer: operator,
    operator,
    arbiter: operator,
    specHash,
    payment: 0n,
    trainerStake: 0n,
    verifierStake: 0n,
    verifierFee: 0n,
    flagBounty: 0n,
    auditCount: 0,
    acceptBy: nowSeconds + 3600,
    trainBy: nowSeconds + 7200,
    commitWindow: 0,
    revealWindow: 0,
    flagRevealWindow: 0,
    disputeWindow: 0,
    arbiterWindow: 0,
  };
}
