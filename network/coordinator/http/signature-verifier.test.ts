import { afterEach, describe, expect, it } from 'vitest';
import { canonicalRequest } from '../../auth/canonical-request.ts';
import { generateSessionKey, signWithSessionKey } from '../../auth/session-keys.ts';
import { SignatureVerifier } from './signature-verifier.ts';

const verifiers: SignatureVerifier[] = [];
afterEach(async () => {
  for (const verifier of verifiers.splice(0)) await verifier.close();
});

function open(): SignatureVerifier {
  const verifier = new SignatureVerifier();
  verifiers.push(verifier);
  return verifier;
}

const message = (nonce: string) =>
  canonicalRequest({ method: 'POST', path: '/v1/leases', timestamp: 1_767_225_600_000, nonce, bodySha256: '00' });

describe('SignatureVerifier', () => {
  it('answers each check of one batch on the worker thread, in order', async () => {
    const verifier = open();
    const alice = generateSessionKey();
    const bob = generateSessionKey();
    const signed = signWithSessionKey(alice.privateKey, message('n1'));
    const verdicts = await Promise.all([
      verifier.verify(alice.publicKey, message('n1'), signed),
      verifier.verify(alice.publicKey, message('n2'), signed),
      verifier.verify(bob.publicKey, message('n1'), signed),
      verifier.verify('not-a-key', message('n1'), signed),
      verifier.verify(alice.publicKey, message('n1'), 'short'),
      verifier.verify(alice.publicKey, message('n1'), signed),
    ]);
    expect(verdicts).toEqual([true, false, false, false, false, true]);
  });

  it('keeps answering across batches, and refuses checks once closed', async () => {
    const verifier = open();
    const key = generateSessionKey();
    for (const nonce of ['a1', 'a2', 'a3']) {
      const signed = signWithSessionKey(key.privateKey, message(nonce));
      await expect(verifier.verify(key.publicKey, message(nonce), signed)).resolves.toBe(true);
    }
    await verifier.close();
    await expect(verifier.verify(key.publicKey, message('a4'), 'x')).rejects.toThrow('closed');
  });
});
