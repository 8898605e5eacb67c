/**
 * The coordinator as its own process:
 *
 *     node network/coordinator/main.ts --data-dir DIR [--port N] [--host H]
 *          [--chain-id N --vault 0x... ]   (signer key in IDLEHIVE_COORDINATOR_KEY)
 *          [--chain-rpc URL --relay-rate N] (relayer key in IDLEHIVE_RELAYER_KEY)
 *
 * Once serving it prints one JSON line, {"event":"listening","url",...}, so a
 * parent process (tests, `npm start`) knows where it is; SIGINT or SIGTERM
 * stops it cleanly. The keys travel in the environment, never in argv where
 * every local user can read them. With a chain endpoint, a relayer key and a
 * rate (token base units per whole native coin) it relays claims for
 * providers without gas.
 */
import { Command, InvalidArgumentError } from 'commander';
import { describeError } from '../../agent/errors.ts';
import { type ChainSettings, startCoordinator } from './start-coordinator.ts';

const KEY_VARIABLE = 'IDLEHIVE_COORDINATOR_KEY';
const RELAYER_KEY_VARIABLE = 'IDLEHIVE_RELAYER_KEY';

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
  chainRpc?: string;
  relayRate?: bigint;
  settings?: string;
}

function tokenUnits(value: string): bigint {
  if (!/^[0-9]{1,78}$/.test(value)) throw new InvalidArgumentError('must be a whole number of token base units');
  return BigInt(value);
}

function relayFrom(options: CliOptions): ChainSettings['relay'] {
  if (options.chainRpc === undefined && options.relayRate === undefined) return undefined;
  const key = process.env[RELAYER_KEY_VARIABLE];
  if (options.chainRpc === undefined || options.relayRate === undefined || !key) {
    throw new Error(
      `Relaying claims needs --chain-rpc, --relay-rate and the relayer key in ${RELAYER_KEY_VARIABLE}, all three.`,
    );
  }
  return { rpcUrl: options.chainRpc, privateKey: key, tokenUnitsPerNativeCoin: options.relayRate };
}

function chainFrom(options: CliOptions): ChainSettings | undefined {
  if (options.chainId === undefined && options.vault === undefined) return undefined;
  const key = process.env[KEY_VARIABLE];
  if (options.chainId === undefined || options.vault === undefined || !key) {
    throw new Error(`Chain settings need --chain-id, --vault and the signer key in ${KEY_VARIABLE}, all three.`);
  }
  return { chainId: options.chainId, vault: options.vault, signerPrivateKey: key, relay: relayFrom(options) };
}

async function main(): Promise<void> {
  const program = new Command('idlehive-coordinator')
    .description('The Idlehive reference coordinator: jobs in, verified results out, vouchers for providers.')
    .requiredOption('--data-dir <dir>', 'where the coordinator database and key live')
    .option('--port <port>', 'TCP port (0 picks a free one)', integer, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--chain-id <id>', 'chain id of the payout vault', integer)
    .option('--vault <address>', 'PayoutVault address vouchers are signed for')
    .option('--chain-rpc <url>', "the chain's JSON-RPC endpoint, to relay claims for providers without gas")
    .option('--relay-rate <units>', 'relay fees: token base units per whole native coin of gas', tokenUnits)
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
  // Announced only once the signal listeners exist: whoever reads this line may signal at once.
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: coordinator.url, address: coordinator.address, chainId: coordinator.chainId, vault: coordinator.vault, relayer: coordinator.relayer, pid: process.pid })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`idlehive-coordinator: ${describeError(error)}\n`);
  process.exit(1);
});
