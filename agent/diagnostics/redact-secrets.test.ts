import { describe, expect, it } from 'vitest';
import { REDACTED, redactLogLine, redactSecrets, redactText } from './redact-secrets.ts';

const KEY = 'ab'.repeat(32);
const PHRASE = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

describe('redactSecrets', () => {
  it('hides values under secret keys at any depth, whatever their case or prefix', () => {
    const input = {
      token: 't',
      nested: { Password: 'p', apiToken: 'x', list: [{ mnemonic: 'm', privateKey: 'k' }] },
      authorization: 'Bearer y',
      walletSecret: 's',
      state: 'earning',
    };
    expect(redactSecrets(input)).toEqual({
      token: REDACTED,
      nested: { Password: REDACTED, apiToken: REDACTED, list: [{ mnemonic: REDACTED, privateKey: REDACTED }] },
      authorization: REDACTED,
      walletSecret: REDACTED,
      state: 'earning',
    });
  });

  it('hides 64-hex keys and 12-word phrases inside any string', () => {
    expect(redactText(`key 0x${KEY} here`)).toBe(`key ${REDACTED} here`);
    expect(redactText(`bare ${KEY}`)).toBe(`bare ${REDACTED}`);
    expect(redactText(`words: ${PHRASE}.`)).toBe(`words: ${REDACTED}.`);
    expect(redactSecrets({ msg: `Imported: ${PHRASE}` })).toEqual({ msg: `Imported: ${REDACTED}` });
  });

  it('keeps what is not secret: addresses, hashes shorter than a key, ordinary sentences', () => {
    const address = '0x1234567890abcdef1234567890abcdef12345678';
    expect(redactText(address)).toBe(address);
    const sentence = 'Paused until you resume: the last job finished, as you asked';
    expect(redactText(sentence)).toBe(sentence);
    expect(redactSecrets({ count: 3, ok: true, none: null })).toEqual({ count: 3, ok: true, none: null });
  });
});

describe('redactLogLine', () => {
  it('parses a pino line and redacts it; a line that is not JSON is redacted as text', () => {
    expect(redactLogLine(JSON.stringify({ level: 30, msg: 'unlocked', password: 'hunter22' }))).toEqual({
      level: 30,
      msg: 'unlocked',
      password: REDACTED,
    });
    expect(redactLogLine(`broken ${KEY}`)).toBe(`broken ${REDACTED}`);
  });
});
