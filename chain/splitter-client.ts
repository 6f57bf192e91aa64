/**
 * Typed ethers v6 client for RoyaltySplitter (contracts/RoyaltySplitter.sol). Payout trees are
 * OpenZeppelin StandardMerkleTrees of `['address', 'uint256']` leaves — exactly what
 * `StandardMerkleTree.of(values, ['address', 'uint256'])` builds off chain.
 */
import { Contract, ContractFactory, type ContractRunner, type Signer } from 'ethers';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { loadArtifact } from './artifacts.ts';
import { type TxResult, readCall, sendTx } from './tx.ts';

/** Leaf encoding of a payout tree. */
export const PAYOUT_LEAF_ENCODING = ['address', 'uint256'] as const;

/** One payout: `[owner, amount]`. */
export type Payout = [owner: string, amount: bigint];

/** An epoch as stored on chain. */
export interface Epoch {
  root: string;
  /** ERC20 token, or the zero address for ETH. */
  token: string;
  funder: string;
  deadline: number;
  swept: boolean;
  total: bigint;
  claimed: bigint;
}

export const ETH = '0x0000000000000000000000000000000000000000';

/** Builds the payout tree the valuation engineer funds (same leaves as on chain). */
export function payoutTree(payouts: readonly Payout[]): StandardMerkleTree<Payout> {
  return StandardMerkleTree.of([...payouts], [...PAYOUT_LEAF_ENCODING]);
}

/** Client for one deployed RoyaltySplitter. */
export class RoyaltySplitterClient {
  readonly contract: Contract;

  constructor(
    readonly address: string,
    runner: ContractRunner,
  ) {
    this.contract = new Contract(address, loadArtifact('RoyaltySplitter').abi, runner);
  }

  static async deploy(signer: Signer): Promise<RoyaltySplitterClient> {
    const { abi, bytecode } = loadArtifact('RoyaltySplitter');
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
    await deployed.waitForDeployment();
    return new RoyaltySplitterClient(await deployed.getAddress(), signer);
  }

  connect(runner: ContractRunner): RoyaltySplitterClient {
    return new RoyaltySplitterClient(this.address, runner);
  }

  /**
   * Funds a new epoch; returns its id. For an ERC20 the caller must have approved `total`.
   * @param rootHex 0x-prefixed StandardMerkleTree root (`tree.root`).
   */
  async createEpoch(
    rootHex: string,
    token: string,
    total: bigint,
    deadline: number,
  ): Promise<{ epochId: number } & TxResult> {
    const tx = await sendTx(this.contract, 'createEpoch', [rootHex, token, total, deadline], {
      value: token === ETH ? total : 0n,
    });
    const event = tx.receipt.logs
      .map((l) => this.contract.interface.parseLog(l))
      .find((e) => e?.name === 'EpochCreated');
    return { ...tx, epochId: Number(event!.args.epochId) };
  }

  /** Claims `payout` from `epochId` with a proof from `tree`. Anyone may send; funds go to the owner. */
  claim(epochId: number, payout: Payout, proof: readonly string[]): Promise<TxResult> {
    return sendTx(this.contract, 'claim', [epochId, payout[0], payout[1], [...proof]]);
  }

  /** Claims every payout of `owner` found in `tree` (normally one). */
  async claimFromTree(
    epochId: number,
    tree: StandardMerkleTree<Payout>,
    owner: string,
  ): Promise<TxResult[]> {
    const out: TxResult[] = [];
    for (const [i, v] of tree.entries()) {
      if (v[0].toLowerCase() === owner.toLowerCase())
        out.push(await this.claim(epochId, v, tree.getProof(i)));
    }
    return out;
  }

  sweep(epochId: number): Promise<TxResult> {
    return sendTx(this.contract, 'sweep', [epochId]);
  }

  async epoch(epochId: number): Promise<Epoch> {
    const e = await readCall(this.contract, () =>
      this.contract.getFunction('epoch').staticCall(epochId),
    );
    return {
      root: e.root as string,
      token: e.token as string,
      funder: e.funder as string,
      deadline: Number(e.deadline),
      swept: e.swept as boolean,
      total: e.total as bigint,
      claimed: e.claimed as bigint,
    };
  }

  async epochCount(): Promise<number> {
    return Number(
      await readCall(this.contract, () => this.contract.getFunction('epochCount').staticCall()),
    );
  }

  async isClaimed(epochId: number, payout: Payout): Promise<boolean> {
    return readCall(this.contract, () =>
      this.contract.getFunction('isClaimed').staticCall(epochId, payout[0], payout[1]),
    );
  }
}
