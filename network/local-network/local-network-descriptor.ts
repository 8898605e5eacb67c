/**
 * `<dataDir>/local-network.json`: what the local network deployed and where
 * it runs now. The chain part (vault, token, coordinator address) is what the
 * coordinator's stored credits are worth something against, so a restart
 * checks the chain still holds it; the endpoints are rewritten on each start
 * so the CLI and tests can find the running network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IdlehiveError } from '../../agent/errors.ts';
import { writeFileAtomically } from '../../agent/wallet/atomic-file.ts';
import { AddressSchema, describeIssues } from '../wire/common.ts';

export const LOCAL_NETWORK_DESCRIPTOR_FILE = 'local-network.json';

export const LocalNetworkDescriptorSchema = z
  .object({
    version: z.literal(1),
    chainId: z.number().int().positive(),
    vault: AddressSchema,
    token: AddressSchema,
    /** The coordinator's key signs vouchers; the vault must name it as signer. */
    coordinatorAddress: AddressSchema,
    deployedAt: z.number().int().nonnegative(),
    /** The chain's height when the network last stopped cleanly: a chain below it lost blocks. */
    lastBlock: z.number().int().nonnegative(),
    /** Where the network runs now; null once it stopped. */
    running: z
      .object({
        pid: z.number().int().positive(),
        coordinatorUrl: z.url(),
        rpcUrl: z.url(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type LocalNetworkDescriptor = z.infer<typeof LocalNetworkDescriptorSchema>;

export function descriptorPath(dataDir: string): string {
  return path.join(dataDir, LOCAL_NETWORK_DESCRIPTOR_FILE);
}

/** The descriptor, null when there is none; a damaged one is an error naming the file. */
export function readLocalNetworkDescriptor(dataDir: string): LocalNetworkDescriptor | null {
  const file = descriptorPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IdlehiveError(
      'local_network_descriptor',
      `${file} is not JSON; remove it to start the local network fresh.`,
      {
        cause,
      },
    );
  }
  const parsed = LocalNetworkDescriptorSchema.safeParse(json);
  if (!parsed.success) {
    throw new IdlehiveError(
      'local_network_descriptor',
      `${file} is not a local network descriptor (${describeIssues(parsed.error)}); remove it to start the local network fresh.`,
    );
  }
  return parsed.data;
}

export function writeLocalNetworkDescriptor(dataDir: string, descriptor: LocalNetworkDescriptor): void {
  writeFileAtomically(
    descriptorPath(dataDir),
    `${JSON.stringify(LocalNetworkDescriptorSchema.parse(descriptor), null, 2)}\n`,
  );
}
