/**
 * C2SP tlog-checkpoint notes signed as C2SP signed-notes with Ed25519.
 *   body      = origin "\n" size "\n" base64(root) "\n" *(extension "\n")
 *   note      = body "\n" 1*("— " keyName " " base64(keyID ‖ signature) "\n")
 *   keyID     = SHA-256(keyName ‖ "\n" ‖ 0x01 ‖ publicKey)[:4]   (0x01 = Ed25519 signature type)
 *   vkey      = keyName "+" hex(keyID) "+" base64(0x01 ‖ publicKey)
 * Signing is in-process crypto only; key storage is the caller's job.
 */
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { sha256, HASH_SIZE } from './hasher.ts';
import { LedgerError } from './errors.ts';
import { bytesEqual } from './hex.ts';

const ED25519_TYPE = 0x01;
const SIG_PREFIX = '\u2014 ';
const KEY_NAME = /^[^\s+]+$/;

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly extensions?: readonly string[];
}

export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

export class CheckpointError extends LedgerError {
  override name = 'CheckpointError';
}

/** An Ed25519 key pair for signing notes, with its C2SP name. */
export interface NoteSigner {
  readonly keyName: string;
  readonly publicKey: Uint8Array; // 32 raw bytes
  readonly privateKey: KeyObject;
}

export function keyId(keyName: string, publicKey: Uint8Array): Uint8Array {
  return sha256(Buffer.from(`${keyName}\n`), Uint8Array.of(ED25519_TYPE), publicKey).subarray(0, 4);
}

/** Serialises a checkpoint body (the signed text). */
export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || c.origin.includes('\n'))
    throw new CheckpointError('origin must be one non-empty line');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new CheckpointError(`bad size ${c.size}`);
  if (c.root.length !== HASH_SIZE)
    throw new CheckpointError(`root has ${c.root.length} bytes, want 32`);
  const ext = (c.extensions ?? []).map((e) => {
    if (!e || e.includes('\n'))
      throw new CheckpointError('extension lines must be non-empty single lines');
    return `${e}\n`;
  });
  return `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString('base64')}\n${ext.join('')}`;
}

/** Parses a checkpoint body; strict: decimal size without leading zeros, 32-byte root. */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw new CheckpointError('checkpoint body must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError(`checkpoint needs 3 lines, got ${lines.length}`);
  const [origin, sizeText, rootText, ...extensions] = lines as [
    string,
    string,
    string,
    ...string[],
  ];
  if (!origin) throw new CheckpointError('empty origin line');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText))
    throw new CheckpointError(`bad size line ${JSON.stringify(sizeText)}`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError(`size ${sizeText} too large`);
  const root = strictBase64(rootText, 'root');
  if (root.length !== HASH_SIZE)
    throw new CheckpointError(`root has ${root.length} bytes, want 32`);
  if (extensions.some((e) => e === '')) throw new CheckpointError('empty extension line');
  return { origin, size, root, extensions };
}

/** Signs a checkpoint, returning the full signed note text. */
export function signCheckpoint(c: Checkpoint, signer: NoteSigner): string {
  const body = formatCheckpoint(c);
  const sig = edSign(null, Buffer.from(body), signer.privateKey);
  const blob = Buffer.concat([keyId(signer.keyName, signer.publicKey), sig]).toString('base64');
  return `${body}\n${SIG_PREFIX}${signer.keyName} ${blob}\n`;
}

/** Splits a signed note into body and signature lines. */
export function parseNote(note: string): { body: string; signatures: NoteSignature[] } {
  const at = note.lastIndexOf('\n\n');
  if (at < 0) throw new CheckpointError('note has no blank line before its signatures');
  const body = note.slice(0, at + 1);
  const sigText = note.slice(at + 2);
  if (!sigText.endsWith('\n')) throw new CheckpointError('signature block must end with a newline');
  const signatures = sigText
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      if (!line.startsWith(SIG_PREFIX))
        throw new CheckpointError(`bad signature line ${JSON.stringify(line)}`);
      const [keyName, b64, extra] = line.slice(SIG_PREFIX.length).split(' ');
      if (!keyName || !b64 || extra !== undefined)
        throw new CheckpointError(`bad signature line ${JSON.stringify(line)}`);
      const raw = strictBase64(b64, 'signature');
      if (raw.length < 5) throw new CheckpointError('signature too short');
      return { keyName, keyId: raw.subarray(0, 4), signature: raw.subarray(4) };
    });
  if (signatures.length === 0) throw new CheckpointError('note has no signatures');
  return { body, signatures };
}

/** Verifies the note was signed by `vkey` and returns the checkpoint it holds. */
export function verifyCheckpoint(note: string, vkey: string): Checkpoint {
  const key = parseVerifierKey(vkey);
  const { body, signatures } = parseNote(note);
  const mine = signatures.filter(
    (s) => s.keyName === key.keyName && bytesEqual(s.keyId, key.keyId),
  );
  if (mine.length === 0) throw new CheckpointError(`no signature by key ${key.keyName}`);
  const pub = ed25519PublicKey(key.publicKey);
  if (
    !mine.some(
      (s) => s.signature.length === 64 && edVerify(null, Buffer.from(body), pub, s.signature),
    )
  ) {
    throw new CheckpointError(`signature by ${key.keyName} does not verify`);
  }
  return parseCheckpoint(body);
}

/** The C2SP verifier key string for a signer. */
export function verifierKey(keyName: string, publicKey: Uint8Array): string {
  const id = Buffer.from(keyId(keyName, publicKey)).toString('hex');
  const enc = Buffer.concat([Uint8Array.of(ED25519_TYPE), publicKey]).toString('base64');
  return `${keyName}+${id}+${enc}`;
}

export function parseVerifierKey(vkey: string): {
  keyName: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
} {
  // The key is base64 and may itself contain '+': split off only name and key id.
  const text = vkey.trim();
  const a = text.indexOf('+');
  const b = text.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new CheckpointError('verifier key must be name+keyid+base64key');
  const [keyName, idHex, b64] = [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
  if (!KEY_NAME.test(keyName)) throw new CheckpointError(`bad key name ${JSON.stringify(keyName)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new CheckpointError('key id must be 8 hex digits');
  const raw = strictBase64(b64, 'key');
  if (raw.length !== 33 || raw[0] !== ED25519_TYPE)
    throw new CheckpointError('only Ed25519 (type 0x01) keys are supported');
  const publicKey = raw.subarray(1);
  const id = keyId(keyName, publicKey);
  if (Buffer.from(id).toString('hex') !== idHex)
    throw new CheckpointError('key id does not match key');
  return { keyName, keyId: id, publicKey };
}

/** Builds a signer from a 32-byte Ed25519 seed. */
export function signerFromSeed(keyName: string, seed: Uint8Array): NoteSigner {
  if (!KEY_NAME.test(keyName)) throw new CheckpointError(`bad key name ${JSON.stringify(keyName)}`);
  if (seed.length !== 32)
    throw new CheckpointError(`Ed25519 seed has ${seed.length} bytes, want 32`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { keyName, publicKey: new Uint8Array(spki.subarray(spki.length - 32)), privateKey };
}

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });
}

function strictBase64(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new CheckpointError(`${what} is not standard base64`);
  }
  const raw = Buffer.from(text, 'base64');
  if (raw.toString('base64') !== text) throw new CheckpointError(`${what} is not canonical base64`);
  return new Uint8Array(raw);
}
