/**
 * RoyaltySplitter: OpenZeppelin StandardMerkleTree leaves `(address, uint256)`, ETH and ERC20
 * epochs, single claims, sweeps, re-entrancy, and a randomized conservation suite.
 */
import { expect } from 'chai';
import { ethers } from 'hardhat';
import type { Contract } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { latestTime, loadFixture, mineAt, setNextTime } from './helpers/network.cts';
import { rng } from './helpers/random.cts';

const ENC = ['address', 'uint256'];
type Leaf = [string, bigint];

async function splitterFixture() {
  const signers = await ethers.getSigners();
  const [funder, ...owners] = signers as [HardhatEthersSigner, ...HardhatEthersSigner[]];
  const splitter = (await ethers.deployContract('RoyaltySplitter')) as unknown as Contract;
  const token = (await ethers.deployContract('MockERC20', [
    'Royalty',
    'ROY',
  ])) as unknown as Contract;
  await token.mint(funder.address, 10n ** 30n);
  await token.approve(await splitter.getAddress(), ethers.MaxUint256);
  return { funder, owners: owners.slice(0, 10), splitter, token };
}

function payoutTree(owners: HardhatEthersSigner[], base = 1000n) {
  const values: Leaf[] = owners.map((o, i) => [o.address, base * BigInt(i + 1)]);
  const tree = StandardMerkleTree.of(values, ENC);
  const total = values.reduce((s, [, v]) => s + v, 0n);
  return { values, tree, total };
}

describe('RoyaltySplitter', () => {
  let funder: HardhatEthersSigner;
  let owners: HardhatEthersSigner[];
  let splitter: Contract;
  let token: Contract;
  beforeEach(async () => {
    ({ funder, owners, splitter, token } = await loadFixture(splitterFixture));
  });

  const proofOf = (tree: StandardMerkleTree<Leaf>, i: number) => tree.getProof(i);

  describe('createEpoch', () => {
    it('funds an ETH epoch', async () => {
      const { tree, total } = payoutTree(owners);
      const deadline = (await latestTime()) + 1000;
      await expect(
        splitter.createEpoch(tree.root, ethers.ZeroAddress, total, deadline, { value: total }),
      )
        .to.emit(splitter, 'EpochCreated')
        .withArgs(0, funder.address, ethers.ZeroAddress, tree.root, total, deadline);
      const e = await splitter.epoch(0);
      expect([
        e.root,
        e.token,
        e.funder,
        Number(e.deadline),
        e.swept,
        e.total,
        e.claimed,
      ]).to.deep.equal([tree.root, ethers.ZeroAddress, funder.address, deadline, false, total, 0n]);
      expect(await splitter.epochCount()).to.equal(1n);
    });

    it('pulls an ERC20 epoch from the funder', async () => {
      const { tree, total } = payoutTree(owners);
      const deadline = (await latestTime()) + 1000;
      await expect(
        splitter.createEpoch(tree.root, await token.getAddress(), total, deadline),
      ).to.changeTokenBalances(token, [funder, splitter], [-total, total]);
    });

    it('rejects a zero root, a past deadline and wrong funding', async () => {
      const { tree, total } = payoutTree(owners);
      await expect(
        splitter.createEpoch(ethers.ZeroHash, ethers.ZeroAddress, 0, (await latestTime()) + 100),
      ).to.be.revertedWithCustomError(splitter, 'RoyaltySplitterZeroRoot');
      // Re-read the clock: under coverage a reverted call is mined and moves it.
      const at = (await latestTime()) + 5;
      await setNextTime(at);
      await expect(splitter.createEpoch(tree.root, ethers.ZeroAddress, total, at, { value: total }))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterInvalidDeadline')
        .withArgs(at, at);
      const now = await latestTime();
      await expect(
        splitter.createEpoch(tree.root, ethers.ZeroAddress, total, now + 100, {
          value: total - 1n,
        }),
      )
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterIncorrectFunding')
        .withArgs(total, total - 1n);
      await expect(
        splitter.createEpoch(tree.root, await token.getAddress(), total, now + 100, { value: 1n }),
      )
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterIncorrectFunding')
        .withArgs(0, 1n);
    });

    it('refuses fee-on-transfer tokens that would under-fund the epoch', async () => {
      const fee = (await ethers.deployContract('FeeOnTransferERC20')) as unknown as Contract;
      await fee.mint(funder.address, 10n ** 24n);
      await fee.approve(await splitter.getAddress(), ethers.MaxUint256);
      const { tree } = payoutTree(owners);
      await expect(
        splitter.createEpoch(
          tree.root,
          await fee.getAddress(),
          10_000n,
          (await latestTime()) + 100,
        ),
      )
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterIncorrectFunding')
        .withArgs(10_000n, 9_900n);
    });
  });

  describe('claim and sweep', () => {
    let tree: StandardMerkleTree<Leaf>;
    let values: Leaf[];
    let total: bigint;
    let deadline: number;
    beforeEach(async () => {
      ({ tree, values, total } = payoutTree(owners));
      deadline = (await latestTime()) + 1000;
      await splitter.createEpoch(tree.root, ethers.ZeroAddress, total, deadline, { value: total });
      await splitter.createEpoch(tree.root, await token.getAddress(), total, deadline);
    });

    it('matches the StandardMerkleTree leaf hash', async () => {
      for (const [i, v] of tree.entries())
        expect(await splitter.leafHash(...v)).to.equal(tree.leafHash(v), `${i}`);
    });

    it('pays each owner once, in ETH and in tokens, whoever submits', async () => {
      const [acct, amount] = values[3]!;
      const tx = splitter.connect(owners[9]!).claim(0, acct, amount, proofOf(tree, 3));
      await expect(tx).to.emit(splitter, 'Claimed').withArgs(0, acct, amount);
      await expect(tx).to.changeEtherBalances([owners[3]!, splitter], [amount, -amount]);
      expect(await splitter.isClaimed(0, acct, amount)).to.equal(true);
      expect(await splitter.isClaimed(1, acct, amount)).to.equal(false);
      await expect(splitter.claim(0, acct, amount, proofOf(tree, 3)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterAlreadyClaimed')
        .withArgs(0, acct, amount);
      await expect(splitter.claim(1, acct, amount, proofOf(tree, 3))).to.changeTokenBalances(
        token,
        [owners[3]!, splitter],
        [amount, -amount],
      );
      expect((await splitter.epoch(0)).claimed).to.equal(amount);
    });

    it('rejects wrong amounts, wrong accounts and foreign proofs', async () => {
      const [acct, amount] = values[2]!;
      await expect(splitter.claim(0, acct, amount + 1n, proofOf(tree, 2)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterInvalidProof')
        .withArgs(0, acct, amount + 1n);
      await expect(splitter.claim(0, owners[5]!.address, amount, proofOf(tree, 2)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterInvalidProof')
        .withArgs(0, owners[5]!.address, amount);
      await expect(splitter.claim(0, acct, amount, proofOf(tree, 4))).to.be.revertedWithCustomError(
        splitter,
        'RoyaltySplitterInvalidProof',
      );
      await expect(splitter.claim(7, acct, amount, proofOf(tree, 2)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterUnknownEpoch')
        .withArgs(7);
    });

    it('never pays more than the epoch holds, even for an over-allocating root', async () => {
      const big = StandardMerkleTree.of<Leaf>(
        [
          [owners[0]!.address, 500n],
          [owners[1]!.address, 600n],
        ],
        ENC,
      );
      await splitter.createEpoch(big.root, ethers.ZeroAddress, 1000n, deadline, { value: 1000n });
      await splitter.claim(2, owners[0]!.address, 500n, big.getProof(0));
      await expect(splitter.claim(2, owners[1]!.address, 600n, big.getProof(1)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterOverAllocated')
        .withArgs(2, 1000n, 1100n);
    });

    it('closes claims at the deadline and sweeps the rest to the funder once', async () => {
      const [acct, amount] = values[0]!;
      await splitter.claim(0, acct, amount, proofOf(tree, 0));
      await setNextTime(deadline);
      await expect(splitter.sweep(0))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterClaimWindowOpen')
        .withArgs(0, deadline, deadline);
      await setNextTime(deadline + 1);
      await expect(splitter.claim(0, values[1]![0], values[1]![1], proofOf(tree, 1)))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterClaimWindowClosed')
        .withArgs(0, deadline, deadline + 1);
      const rest = total - amount;
      const tx = splitter.connect(owners[7]!).sweep(0);
      await expect(tx).to.emit(splitter, 'Swept').withArgs(0, funder.address, rest);
      await expect(tx).to.changeEtherBalances([funder, splitter], [rest, -rest]);
      await expect(splitter.sweep(0))
        .to.be.revertedWithCustomError(splitter, 'RoyaltySplitterAlreadySwept')
        .withArgs(0);
      await expect(splitter.sweep(1)).to.changeTokenBalances(
        token,
        [funder, splitter],
        [total, -total],
      );
      await expect(splitter.sweep(9)).to.be.revertedWithCustomError(
        splitter,
        'RoyaltySplitterUnknownEpoch',
      );
    });

    it('sweeps nothing from a fully claimed epoch', async () => {
      for (const [i, [acct, amount]] of values.entries())
        await splitter.claim(0, acct, amount, proofOf(tree, i));
      await mineAt(deadline + 1);
      await expect(splitter.sweep(0)).to.emit(splitter, 'Swept').withArgs(0, funder.address, 0);
    });
  });

  it('defeats re-entrant double claims and sweeps', async () => {
    const attacker = (await ethers.deployContract('ReentrantClaimer', [
      await splitter.getAddress(),
    ])) as unknown as Contract;
    const attackerAddr = await attacker.getAddress();
    const values: Leaf[] = [
      [attackerAddr, 700n],
      [owners[0]!.address, 300n],
    ];
    const tree = StandardMerkleTree.of(values, ENC);
    await splitter.createEpoch(tree.root, ethers.ZeroAddress, 1000n, (await latestTime()) + 100, {
      value: 1000n,
    });
    await expect(attacker.attack(0, 700n, tree.getProof(0))).to.changeEtherBalance(attacker, 700n);
    expect(await attacker.reentryAttempts()).to.equal(1n);
    expect(await attacker.reentrySuccesses()).to.equal(0n);
    expect(await ethers.provider.getBalance(await splitter.getAddress())).to.equal(300n);
    await expect(attacker.attack(0, 700n, tree.getProof(0))).to.be.revertedWithCustomError(
      splitter,
      'RoyaltySplitterAlreadyClaimed',
    );
  });

  it('defeats re-entry through a token callback during funding and claiming', async () => {
    const evil = (await ethers.deployContract('ReentrantERC20')) as unknown as Contract;
    const splitterAddr = await splitter.getAddress();
    await evil.mint(funder.address, 10_000n);
    await evil.approve(splitterAddr, ethers.MaxUint256);
    const values: Leaf[] = [
      [owners[0]!.address, 600n],
      [owners[1]!.address, 400n],
    ];
    const tree = StandardMerkleTree.of(values, ENC);
    const deadline = (await latestTime()) + 1000;
    // Funding re-enters createEpoch; claiming re-enters claim for the same leaf.
    await evil.arm(
      splitterAddr,
      splitter.interface.encodeFunctionData('createEpoch', [
        tree.root,
        await evil.getAddress(),
        1n,
        deadline,
      ]),
    );
    await splitter.createEpoch(tree.root, await evil.getAddress(), 1000n, deadline);
    await evil.arm(
      splitterAddr,
      splitter.interface.encodeFunctionData('claim', [
        0,
        values[0]![0],
        values[0]![1],
        tree.getProof(0),
      ]),
    );
    await splitter.claim(0, values[0]![0], values[0]![1], tree.getProof(0));
    expect(await evil.reentryAttempts()).to.equal(2n);
    expect(await evil.reentrySuccesses()).to.equal(0n);
    expect(await splitter.epochCount()).to.equal(1n);
    expect(await evil.balanceOf(owners[0]!.address)).to.equal(600n);
    expect(await evil.balanceOf(splitterAddr)).to.equal(400n);
  });

  for (const seed of [1, 2, 3]) {
    it(`randomized: balances always equal what is still claimable, no leaf paid twice (seed ${seed})`, async () => {
      const r = rng(seed);
      const tokenAddr = await token.getAddress();
      const splitterAddr = await splitter.getAddress();
      type E = {
        tree: StandardMerkleTree<Leaf>;
        values: Leaf[];
        token: string;
        total: bigint;
        deadline: number;
      };
      const epochs: E[] = [];
      const paid = new Map<string, bigint>(); // `${epoch}:${account}:${amount}` → times paid
      const received = new Map<string, bigint>();
      for (let step = 0; step < 60; step++) {
        const action = r.int(10);
        if (action < 2 || epochs.length === 0) {
          const n = 1 + r.int(owners.length);
          const picked = [...owners].sort(() => r.next() - 0.5).slice(0, n);
          const values: Leaf[] = picked.map((o) => [o.address, BigInt(1 + r.int(10_000))]);
          const tree = StandardMerkleTree.of(values, ENC);
          const total = values.reduce((s, [, v]) => s + v, 0n) + BigInt(r.int(50)); // maybe over-funded
          const isEth = r.chance(0.5);
          const deadline = (await latestTime()) + 50 + r.int(400);
          await splitter.createEpoch(
            tree.root,
            isEth ? ethers.ZeroAddress : tokenAddr,
            total,
            deadline,
            {
              value: isEth ? total : 0n,
            },
          );
          epochs.push({
            tree,
            values,
            token: isEth ? ethers.ZeroAddress : tokenAddr,
            total,
            deadline,
          });
        } else if (action < 8) {
          const id = r.int(epochs.length);
          const e = epochs[id]!;
          const i = r.int(e.values.length);
          const [acct, amount] = e.values[i]!;
          const key = `${id}:${acct}:${amount}`;
          const bogus = r.chance(0.15);
          try {
            await splitter.claim(id, acct, bogus ? amount + 1n : amount, e.tree.getProof(i));
            expect(bogus, 'bogus claim paid').to.equal(false);
            paid.set(key, (paid.get(key) ?? 0n) + 1n);
            received.set(`${e.token}:${acct}`, (received.get(`${e.token}:${acct}`) ?? 0n) + amount);
          } catch (err) {
            expect(String(err)).to.match(/AlreadyClaimed|InvalidProof|ClaimWindowClosed/);
          }
        } else if (action === 8) {
          await mineAt((await latestTime()) + r.int(200));
        } else {
          const id = r.int(epochs.length);
          try {
            await splitter.sweep(id);
          } catch (err) {
            expect(String(err)).to.match(/ClaimWindowOpen|AlreadySwept/);
          }
        }
        // Invariant: each asset's balance equals the unclaimed part of its unswept epochs.
        let ethOwed = 0n;
        let tokOwed = 0n;
        for (let id = 0; id < epochs.length; id++) {
          const e = await splitter.epoch(id);
          expect(e.claimed <= e.total).to.equal(true);
          const rest = e.swept ? 0n : e.total - e.claimed;
          if (e.token === ethers.ZeroAddress) ethOwed += rest;
          else tokOwed += rest;
        }
        expect(await ethers.provider.getBalance(splitterAddr)).to.equal(ethOwed);
        expect(await token.balanceOf(splitterAddr)).to.equal(tokOwed);
      }
      for (const [key, n] of paid) expect(n, key).to.equal(1n);
      for (const [id, e] of epochs.entries()) {
        for (const [acct, amount] of e.values) {
          expect(await splitter.isClaimed(id, acct, amount)).to.equal(
            paid.has(`${id}:${acct}:${amount}`),
          );
        }
      }
      expect(received.size).to.be.greaterThan(0);
    });
  }
});
