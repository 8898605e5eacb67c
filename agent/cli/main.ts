/**
 * The `idlehive` command. Every command except `agent` and `start` is a client
 * of the local API; errors print one line and exit non-zero.
 */
import { spawn } from 'node:child_process';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeError, IdlehiveError, isIdlehiveError } from '../errors.ts';
import { resolveHome } from '../home.ts';
import { connectToAgent } from '../local-api/connect-to-agent.ts';
import { describeSchemaIssues, SettingsSchema } from '../local-api/contract.ts';
import { dashboardLink } from '../local-api/endpoint-file.ts';
import { APP_VERSION } from '../version.ts';
import { parseAssignments, print } from './cli-output.ts';
import { registerComputeCommands } from './compute-commands.ts';
import { formatStatus } from './format-status.ts';
import { registerScheduleCommands } from './schedule-commands.ts';
import { registerWalletCommands } from './wallet-commands.ts';

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one).');
  }
  return port;
}

function httpUrlOption(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Reported below in the same words as any other malformed URL.
  }
  throw new InvalidArgumentError('an http:// or https:// URL, e.g. https://coordinator.example.org');
}

/** Turns `key=value` words into a settings patch, checked before the agent is asked. */
export function parseSettingsAssignments(words: string[]): Record<string, unknown> {
  const patch = parseAssignments(words, 'invalid_setting', 'theme=dark');
  const checked = SettingsSchema.partial().strict().safeParse(patch);
  if (!checked.success) {
    throw new IdlehiveError('invalid_setting', `Settings not changed: ${describeSchemaIssues(checked.error)}.`);
  }
  return checked.data;
}

export function buildCli(): Command {
  const program = new Command('idlehive')
    .description('Idlehive: earn from your computer while you are away.')
    .version(APP_VERSION)
    .addOption(
      new Option('--home <dir>', 'the data folder (default: IDLEHIVE_HOME, else the platform user-data folder)'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const home = () => resolveHome(program.opts<{ home?: string }>().home);

  program
    .command('start')
    .description(
      'Run Idlehive: the agent and the dashboard (desktop window where Electron is installed, else the browser).',
    )
    .option('--port <port>', 'the local API and dashboard port', portOption)
    .option('--no-open', 'do not open a browser')
    .option('--network <url>', 'work for this coordinator instead of starting the local network', httpUrlOption)
    .option('--chain-rpc <url>', "the JSON-RPC endpoint of that network's chain (with --network)", httpUrlOption)
    .action(async (options: { port?: number; open: boolean; network?: string; chainRpc?: string }) => {
      // Loaded on use: the agent's modules cost a second of start-up that client commands need not pay.
      const { startIdlehive } = await import('./start-command.ts');
      await startIdlehive({ home: home(), ...options });
    });

  program
    .command('agent')
    .description('Run the agent in the foreground (headless machines, services).')
    .option('--port <port>', 'the local API and dashboard port (default: a free one)', portOption)
    .option('--network <url>', 'the coordinator to work for while the coordinatorUrl setting is unset', httpUrlOption)
    .option('--chain-rpc <url>', 'the chain JSON-RPC endpoint while the chainRpcUrl setting is unset', httpUrlOption)
    .action(async (options: { port?: number; network?: string; chainRpc?: string }) => {
      const { runAgentInForeground } = await import('./agent-command.ts');
      await runAgentInForeground({
        home: home(),
        port: options.port,
        embeddedCoordinatorUrl: options.network,
        embeddedChainRpcUrl: options.chainRpc,
      });
    });

  program
    .command('status')
    .description('Show what Idlehive is doing and why.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const { api } = await connectToAgent(home());
      const status = await api.call('status.get', {});
      api.close();
      print(Boolean(options.json), status, formatStatus(status));
    });

  registerScheduleCommands(program, home);
  registerWalletCommands(program, home);

  program
    .command('dashboard')
    .description('Open the dashboard in your browser (prints its link too).')
    .option('--print', 'only print the link')
    .action(async (options: { print?: boolean }) => {
      const { api, endpoint } = await connectToAgent(home());
      api.close();
      const link = dashboardLink(endpoint);
      process.stdout.write(`${link}\n`);
      if (!options.print) openInBrowser(link);
    });

  const settings = program.command('settings').description('Read or change settings.');
  settings
    .command('get')
    .description('Print all settings.')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const { api } = await connectToAgent(home());
      const values = await api.call('settings.get', {});
      api.close();
      const human = Object.entries(values)
        .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
        .join('\n');
      print(Boolean(options.json), values, human);
    });
  settings
    .command('set')
    .description('Change settings, e.g. `idlehive settings set theme=dark startAtLogin=true`.')
    .argument('<key=value...>', 'one or more assignments')
    .option('--json', 'print machine-readable JSON')
    .action(async (words: string[], options: { json?: boolean }) => {
      const patch = parseSettingsAssignments(words);
      const { api } = await connectToAgent(home());
      const values = await api.call('settings.set', { patch });
      api.close();
      print(Boolean(options.json), values, `Saved: ${Object.keys(patch).join(', ')}`);
    });

  registerComputeCommands(program, home);
  return program;
}

function openInBrowser(link: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [link], { stdio: 'ignore', detached: true });
  child.on('error', () => {
    process.stderr.write('Could not open a browser here; open the link above yourself.\n');
  });
  child.unref();
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit "with error" 0; commander already printed what it had to.
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = isIdlehiveError(error) ? error.message : `Unexpected error: ${describeError(error)}`;
    process.stderr.write(`idlehive: ${message}\n`);
    return 1;
  }
}
