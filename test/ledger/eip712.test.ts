import { describe, expect, it } from 'vitest';
import { TypedDataEncoder, Wallet, verifyTypedData } from 'ethers';
import {
  ENTRY_TYPES,
  ZERO_HASH,
  addressOfPublicKey,
  domainSeparator,
  entryDigest,
  entryMessage,
  fromHex,
  parseSignature,
  recoverPublicKey,
  signDigest,
  typedDomain,
  verifyDigest,
  publicKeyOf,
  type EntryFields,
  signedEntryLeafHash,
  encodeSignedEntry,
} from '../../ledger/index.ts';

const wallet = new Wallet('0x' + '11'.repeat(32));
const h = (c: string) => c.repeat(64);
const entry: EntryFields = {
  v: 1,
  jobId: h('a'),
  index: 3,
  step: 30,
  stateRoot: h('b'),
  dataRoot: h('c'),
  batchRoot: h('d'),
  hparamsHash: h('e'),
  specHash: h('f'),
  envHash: h('1'),
  sealedRoot: h('2'),
  flops: '123456789012345678901',
  wallMs: 1500,
  prevLeaf: ZERO_HASH,
};

describe('EIP-712 entries', () => {
  for (const d of [{ chainId: 31337 }, { chainId: 1, verifyingContract: '0x' + '5f'.repeat(20) }]) {
    it(`hand-rolled digest equals ethers TypedDataEncoder (${JSON.stringify(d)})`, () => {
      const want = TypedDataEncoder.hash(typedDomain(d), ENTRY_TYPES, entryMessage(entry));
      expect('0x' + Buffer.from(entryDigest(domainSeparator(d), entry)).toString('hex')).toBe(want);
    });
  }

  it('verifies an ethers signature against the recovered key and rejects other fields', async () => {
    const d = { chainId: 31337 };
    const sig = await wallet.signTypedData(typedDomain(d), ENTRY_TYPES, entryMessage(entry));
    const digest = entryDigest(domainSeparator(d), entry);
    const parsed = parseSignature(sig);
    const pub = recoverPublicKey(digest, parsed);
    expect(addressOfPublicKey(pub)).toBe(wallet.address.toLowerCase());
    expect(verifyDigest(digest, parsed, pub)).toBe(true);
    const other = entryDigest(domainSeparator(d), { ...entry, index: 4 });
    expect(verifyDigest(other, parsed, pub)).toBe(false);
    const otherChain = entryDigest(domainSeparator({ chainId: 1 }), entry);
    expect(verifyDigest(otherChain, parsed, pub)).toBe(false);
  });

  it('our signer produces signatures ethers accepts', () => {
    const d = { chainId: 5 };
    const sig = signDigest(entryDigest(domainSeparator(d), entry), fromHex(wallet.privateKey));
    expect(verifyTypedData(typedDomain(d), ENTRY_TYPES, entryMessage(entry), sig)).toBe(
      wallet.address,
    );
    expect(addressOfPublicKey(publicKeyOf(fromHex(wallet.privateKey)))).toBe(
      wallet.address.toLowerCase(),
    );
  });

  it('rejects non-canonical signatures (high s) and bad v', () => {
    const sig = signDigest(
      entryDigest(domainSeparator({ chainId: 5 }), entry),
      fromHex(wallet.privateKey),
    );
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt('0x' + sig.slice(66, 130));
    const high =
      sig.slice(0, 66) +
      (n - s).toString(16).padStart(64, '0') +
      (sig.endsWith('1b') ? '1c' : '1b');
    expect(() => parseSignature(high)).toThrow(/low-s/);
    expect(() => parseSignature(sig.slice(0, -2) + '00')).toThrow(/v must be 27 or 28/);
    expect(() => parseSignature('0x1234')).toThrow(/65 bytes/);
  });

  it('leaf bytes are RFC 8785 canonical JSON including the signature', () => {
    const text = new TextDecoder().decode(encodeSignedEntry(entry, '0xAB'));
    expect(text.startsWith('{"batchRoot":"dddd')).toBe(true);
    expect(text).toContain('"signature":"0xab"');
    expect(text).toContain('"flops":"123456789012345678901"');
    expect(signedEntryLeafHash(entry, '0xab')).toMatch(/^[0-9a-f]{64}$/);
    expect(signedEntryLeafHash({ ...entry, wallMs: 1501 }, '0xab')).not.toBe(
      signedEntryLeafHash(entry, '0xab'),
    );
  });
});
