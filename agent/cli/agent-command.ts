/**
 * `idlehive agent`: the agent in the foreground until SIGINT/SIGTERM. It prints
 * where the dashboard is but never the token (stdout may end up in a service log).
 */
import { runAgent } from '../run-agent.ts';

export interface ForegroundOptions {
  home: string;
  port?: number;
  /** Called once the agent is serving (used by `start`). */
  onReady?: (link: string) => void;
  quiet?: boolean;
  /** The coordinator and chain to use while the settings name none (the local network, or --network/--chain-rpc). */
  embeddedCoordinatorUrl?: string;
  embeddedChainRpcUrl?: string;
}

export async function runAgentInForeground(options: ForegroundOptions): Promise<void> {
  const agent = await runAgent({
    home: options.home,
    port: options.port,
    embeddedCoordinatorUrl: options.embeddedCoordinatorUrl,
    embeddedChainRpcUrl: options.embeddedChainRpcUrl,
  });
  if (!options.quiet) {
    process.stdout.write(
      `Idlehive agent ${agent.endpoint.pid} is running for ${options.home} on ${agent.endpoint.dashboardUrl} (open it with \`idlehive dashboard\`).\n`,
    );
  }
  options.onReady?.(agent.dashboardLink);
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      agent.stop().then(resolve, resolve);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
