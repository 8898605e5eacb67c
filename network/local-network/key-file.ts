/**
 * The local network's own identities (coordinator signer, demo requester,
 * peer provider): a private key per file, 0600, made on first use. They sign
 * only on the local chain and the local coordinator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Wallet } from 'ethers';
import { IdlehiveError } from '../../agent/errors.ts';

export function loadOrCreateKey(dataDir: string, name: string): Wallet {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${Wallet.createRandom().privateKey}\n`, { mode: 0o600, flag: 'wx' });
  }
  try {
    return new Wallet(fs.readFileSync(file, 'utf8').trim());
  } catch (cause) {
    throw new IdlehiveError(
      'local_network_key',
      `${file} does not hold a private key; remove the local network folder ${dataDir} to start it fresh.`,
      { cause },
    );
  }
}
