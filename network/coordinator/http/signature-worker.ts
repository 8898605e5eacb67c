/**
 * The worker thread behind SignatureVerifier: receives a batch of
 * (session public key, canonical request, signature) and answers one verdict
 * per item, in order. Public keys are parsed once and kept.
 */

import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { publicKeyObject, verifySessionSignature } from '../../auth/session-keys.ts';

export type SignatureBatch = [publicKey: string, message: string, signature: string][];

const KEY_CACHE_LIMIT = 100_000;
const keys = new Map<string, KeyObject>();

function keyOf(publicKey: string): KeyObject | null {
  let key = keys.get(publicKey);
  if (!key) {
    try {
      key = publicKeyObject(publicKey);
    } catch {
      return null;
    }
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    keys.set(publicKey, key);
  }
  return key;
}

parentPort?.on('message', (batch: SignatureBatch) => {
  const verdicts = new Uint8Array(batch.length);
  batch.forEach(([publicKey, message, signature], i) => {
    const key = keyOf(publicKey);
    verdicts[i] = key && verifySessionSignature(key, message, signature) ? 1 : 0;
  });
  parentPort?.postMessage(verdicts);
});
