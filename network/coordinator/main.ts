/**
 * The coordinator as its own process:
 *
 *     node network/coordinator/main.ts --data-dir DIR [--port N] [--host H]
 *          [--chain-id N --vault 0x... ]   (signer key in IDLEHIVE_COORDINATOR_KEY)
 *
 * Once serving it prints one JSON line, {"event":"listening","url",...}, so a
 * parent process (tests, `npm start`) knows where it is; SIGINT or SIGTERM
 * stops it cleanly. The signer key travels in the environment, never in argv
 * where every local user can read it.
 */
import { Command, InvalidArgumentError } from 'commander';
import { describeError } from '../../agent/errors.ts';
import { type ChainSettings, startCoordinator } from './start-coordinator.ts';

const KEY_VARIABLE = 'IDLEHIVE_COORDINATOR_KEY';

function integer(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number');
  return number;
}

interface CliOptions {
  dataDir: string;
  port: number;
  host: string;
  chainId?: number;
  vault?: string;
  settings?: string;
}

function chainFrom(options: CliOptions): ChainSettings | undefined {
  if (options.chainId === undefined && options.vault === undefined) return undefined;
  const key = process.env[KEY_VARIABLE];
  if (options.chainId === undefined || options.vault === undefined || !key) {
    throw new Error(`Chain settings need --chain-id, --vault and the signer key in ${KEY_VARIABLE}, all three.`);
  }
  return { chainId: options.chainId, vault: options.vault, signerPrivateKey: key };
}

async function main(): Promise<void> {
  const program = new Command('idlehive-coordinator')
    .description('The Idlehive reference coordinator: jobs in, verified results out, vouchers for providers.')
    .requiredOption('--data-dir <dir>', 'where the coordinator database and key live')
    .option('--port <port>', 'TCP port (0 picks a free one)', integer, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--chain-id <id>', 'chain id of the payout vault', integer)
    .option('--vault <address>', 'PayoutVault address vouchers are signed for')
    .option('--settings <json>', 'coordinator settings as JSON (limits, replication, suspension)')
    .parse();
  const options = program.opts<CliOptions>();
  const coordinator = await startCoordinator({
    dataDir: options.dataDir,
    port: options.port,
    host: options.host,
    chain: chainFrom(options),
    settings: options.settings ? JSON.parse(options.settings) : undefined,
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: coordinator.url, address: coordinator.address, chainId: coordinator.chainId, vault: coordinator.vault, pid: process.pid })}\n`,
  );
  const shutdown = () => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    coordinator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`idlehive-coordinator: ${describeError(error)}\n`);
  process.exit(1);
});
