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
  // Listen for Ctrl-C before the agent can announce itself: whoever reads the
  // announcement may signal at once, and a SIGINT that lands before a listener
  // exists takes the default action (the process dies without a clean stop).
  let stopListening = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    const requestStop = () => {
      stopListening();
      resolve();
    };
    stopListening = () => {
      process.off('SIGINT', requestStop);
      process.off('SIGTERM', requestStop);
    };
    process.on('SIGINT', requestStop);
    process.on('SIGTERM', requestStop);
  });
  let agent: Awaited<ReturnType<typeof runAgent>>;
  try {
    agent = await runAgent({
      home: options.home,
      port: options.port,
      embeddedCoordinatorUrl: options.embeddedCoordinatorUrl,
      embeddedChainRpcUrl: options.embeddedChainRpcUrl,
    });
  } catch (error) {
    stopListening();
    throw error;
  }
  if (!options.quiet) {
    process.stdout.write(
      `Idlehive agent ${agent.endpoint.pid} is running for ${options.home} on ${agent.endpoint.dashboardUrl} (open it with \`idlehive dashboard\`).\n`,
    );
  }
  options.onReady?.(agent.dashboardLink);
  await stopRequested;
  await agent.stop().catch(() => {});
}
