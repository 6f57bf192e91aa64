/**
 * Contract clients, deployment and connection against a real `hardhat node` process started
 * by startLocalChain (the embedded default chain).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet, parseEther } from 'ethers';
import { flagCommitment, toHex } from '../../ledger/index.ts';
import {
  ChainError,
  ChainRevertError,
  ChainTransportError,
  ETH,
  FlagstoneLedgerClient,
  HARDHAT_DEV_PRIVATE_KEY,
  JobStatus,
  type LocalChain,
  RoyaltySplitterClient,
  chainConfigFromEnv,
  connectChain,
  createProvider,
  fromBytes32,
  payoutTree,
  startLocalChain,
  toBytes32,
  verdictCommitment,
} from '../../chain/index.ts';
import { MemoryHeadSource, newJobId } from './helpers.ts';

describe('chain config and encodings', () => {
  it('reads the environment', () => {
    expect(chainConfigFromEnv({})).toEqual({ localPort: 8545, rpcTimeoutMs: 10_000 });
    const key = HARDHAT_DEV_PRIVATE_KEY.slice(2);
    const cfg = chainConfigFromEnv({
      CHAIN_RPC_URL: 'http://10.0.0.1:8545',
      CHAIN_PRIVATE_KEY: key,
      FLAGSTONE_LEDGER_ADDRESS: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      ROYALTY_SPLITTER_ADDRESS: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
      CHAIN_PORT: '0',
    });
    expect(cfg).toMatchObject({
      rpcUrl: 'http://10.0.0.1:8545',
      privateKey: `0x${key}`,
      localPort: 0,
    });
  });

  it('rejects malformed settings', () => {
    expect(() => chainConfigFromEnv({ CHAIN_RPC_URL: 'http://x' })).toThrow(
      /CHAIN_PRIVATE_KEY is not/,
    );
    expect(() => chainConfigFromEnv({ CHAIN_PRIVATE_KEY: '12' })).toThrow(ChainError);
    expect(() => chainConfigFromEnv({ FLAGSTONE_LEDGER_ADDRESS: '0x12' })).toThrow(
      /FLAGSTONE_LEDGER_ADDRESS/,
    );
    expect(() => chainConfigFromEnv({ CHAIN_PORT: '-1' })).toThrow(/CHAIN_PORT/);
  });

  it('converts between ledger hex and bytes32', () => {
    const h = 'ab'.repeat(32);
    expect(toBytes32(h)).toBe(`0x${h}`);
    expect(toBytes32(`0x${h.toUpperCase()}`)).toBe(`0x${h}`);
    expect(fromBytes32(`0x${h}`)).toBe(h);
    expect(() => toBytes32('abc')).toThrow(ChainError);
  });

  it('maps an unreachable RPC to ChainTransportError', async () => {
    await expect(createProvider('http://127.0.0.1:1', { timeoutMs: 500 })).rejects.toBeInstanceOf(
      ChainTransportError,
    );
  });
});

describe('clients on a local hardhat node', () => {
  let chain: LocalChain;
  let ledger: FlagstoneLedgerClient;
  let splitter: RoyaltySplitterClient;
  let operator: Wallet;

  beforeAll(async () => {
    chain = await startLocalChain({ port: 0 });
    const provider = await createProvider(chain.rpcUrl, { chainId: chain.chainId });
    operator = new Wallet(chain.privateKey, provider);
    ledger = new FlagstoneLedgerClient(chain.addresses!.flagstoneLedger, operator);
    splitter = new RoyaltySplitterClient(chain.addresses!.royaltySplitter, operator);
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('deployed both contracts', async () => {
    const provider = operator.provider!;
    expect(chain.chainId).toBe(31337);
    expect(await provider.getCode(ledger.address)).not.toBe('0x');
    expect(await provider.getCode(splitter.address)).not.toBe('0x');
    expect(Number(await ledger.contract.getFunction('seedDelay').staticCall())).toBe(
      chain.addresses!.seedDelay,
    );
  });

  it('runs a job: open, accept, anchor with ledger proofs, list anchors, close', async () => {
    const jobId = newJobId();
    const now = (await operator.provider!.getBlock('latest'))!.timestamp;
    const trainer = Wallet.createRandom().address;
    const terms = {
      trainer: operator.address, // the operator trains too, so one key drives the test
      operator: operator.address,
      arbiter: trainer,
      specHash: 'cd'.repeat(32),
      payment: parseEther('1'),
      trainerStake: parseEther('0.5'),
      verifierStake: parseEther('0.1'),
      verifierFee: parseEther('0.01'),
      flagBounty: parseEther('0.05'),
      auditCount: 2,
      acceptBy: now + 3600,
      trainBy: now + 7200,
      commitWindow: 60,
      revealWindow: 60,
      flagRevealWindow: 60,
      disputeWindow: 60,
      arbiterWindow: 60,
    };
    expect(await ledger.requiredEscrow(terms)).toBe(parseEther('1.12'));
    expect(await ledger.exists(jobId)).toBe(false);
    await ledger.openJob(jobId, terms);
    expect(await ledger.jobTerms(jobId)).toEqual(terms);
    const salt = 'ee'.repeat(32);
    await ledger.acceptJob(jobId, flagCommitment(salt, [3]), terms.trainerStake);
    const state = await ledger.jobState(jobId);
    expect(state.status).toBe(JobStatus.Active);
    expect(state.flagCommitment).toBe(flagCommitment(salt, [3]));

    const source = new MemoryHeadSource();
    source.append(jobId, 5);
    const tree = source.tree(jobId);
    const first = await ledger.anchor(jobId, 5, toHex(tree.root()), []);
    source.append(jobId, 6);
    const second = await ledger.anchor(
      jobId,
      11,
      toHex(tree.root()),
      tree.consistencyProof(5, 11).map(toHex),
    );
    expect(await ledger.head(jobId)).toEqual({
      size: 11,
      rootHex: toHex(tree.root()),
      operator: operator.address,
    });
    expect(await ledger.anchorsOf(jobId)).toEqual([
      {
        size: 5,
        rootHex: toHex(tree.root(5)),
        previousSize: 0,
        txHash: first.txHash,
        blockNumber: first.blockNumber,
      },
      {
        size: 11,
        rootHex: toHex(tree.root(11)),
        previousSize: 5,
        txHash: second.txHash,
        blockNumber: second.blockNumber,
      },
    ]);

    const stale = ledger.anchor(jobId, 11, toHex(tree.root()), []);
    await expect(stale).rejects.toBeInstanceOf(ChainRevertError);
    await expect(stale).rejects.toMatchObject({
      errorName: 'FlagstoneLedgerStaleHead',
      args: [toBytes32(jobId), 11n, 11n],
    });
    const forged = ledger.anchor(
      jobId,
      12,
      'ff'.repeat(32),
      tree.consistencyProof(5, 11).map(toHex),
    );
    await expect(forged).rejects.toMatchObject({
      errorName: 'FlagstoneLedgerInvalidConsistencyProof',
    });

    await ledger.closeTraining(jobId);
    const closed = await ledger.jobState(jobId);
    expect([closed.status, closed.finalSize, closed.finalRoot]).toEqual([
      JobStatus.Auditing,
      11,
      toHex(tree.root()),
    ]);
    const d = await ledger.deadlines(jobId);
    expect(d.commitEnd).toBe(closed.closedAt + 60);
  });

  it('computes verdict commitments exactly as the contract does', async () => {
    const args = [newJobId(), 3, operator.address, 'aa'.repeat(32), 'bb'.repeat(32)] as const;
    const onChain = await ledger.contract
      .getFunction('verdictCommitment')
      .staticCall(toBytes32(args[0]), args[1], args[2], toBytes32(args[3]), toBytes32(args[4]));
    expect(verdictCommitment(...args)).toBe(fromBytes32(onChain));
  });

  it('funds and pays a royalty epoch from an OpenZeppelin StandardMerkleTree', async () => {
    const owners = [Wallet.createRandom().address, Wallet.createRandom().address];
    const tree = payoutTree([
      [owners[0]!, 700n],
      [owners[1]!, 300n],
    ]);
    const now = (await operator.provider!.getBlock('latest'))!.timestamp;
    const { epochId } = await splitter.createEpoch(tree.root, ETH, 1000n, now + 600);
    expect(await splitter.epochCount()).toBe(epochId + 1);
    await splitter.claimFromTree(epochId, tree, owners[1]!);
    expect(await operator.provider!.getBalance(owners[1]!)).toBe(300n);
    expect(await splitter.isClaimed(epochId, [owners[1]!, 300n])).toBe(true);
    expect(await splitter.isClaimed(epochId, [owners[0]!, 700n])).toBe(false);
    expect((await splitter.epoch(epochId)).claimed).toBe(300n);
    await expect(splitter.claimFromTree(epochId, tree, owners[1]!)).rejects.toMatchObject({
      errorName: 'RoyaltySplitterAlreadyClaimed',
    });
  });

  it('connects by configuration, and reuses a running chain from chain.json', async () => {
    const viaEnv = await connectChain({
      config: {
        rpcUrl: chain.rpcUrl,
        privateKey: chain.privateKey,
        ledgerAddress: ledger.address,
        splitterAddress: splitter.address,
        localPort: 0,
        rpcTimeoutMs: 5_000,
      },
    });
    expect(await viaEnv.ledger.exists(newJobId())).toBe(false);
    expect(viaEnv.localChain).toBeUndefined();
    await viaEnv.close();

    const dir = await mkdtemp(path.join(tmpdir(), 'flagstone-chain-'));
    try {
      const a = chain.addresses!;
      await writeFile(
        path.join(dir, 'chain.json'),
        JSON.stringify({
          rpcUrl: chain.rpcUrl,
          chainId: chain.chainId,
          pid: chain.pid,
          flagstoneLedger: a.flagstoneLedger,
          royaltySplitter: a.royaltySplitter,
          deployer: a.deployer,
          seedDelay: a.seedDelay,
        }),
      );
      const reused = await connectChain({
        dataDir: dir,
        config: { localPort: 0, rpcTimeoutMs: 5_000 },
      });
      expect(reused.rpcUrl).toBe(chain.rpcUrl);
      expect(reused.localChain).toBeUndefined();
      await reused.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(
      connectChain({
        config: {
          rpcUrl: chain.rpcUrl,
          privateKey: chain.privateKey,
          localPort: 0,
          rpcTimeoutMs: 1000,
        },
      }),
    ).rejects.toThrow(/FLAGSTONE_LEDGER_ADDRESS/);
  });
});
