/**
 * The agent's home: the one folder holding its ledger, logs, endpoint file and
 * caches. The desktop shell, the CLI and the headless agent resolve it the same
 * way, so they always meet at the same agent.
 */
import path from 'node:path';
import envPaths from 'env-paths';

export interface HomeLayout {
  root: string;
  ledgerFile: string;
  endpointFile: string;
  apiTokenFile: string;
  logDir: string;
  logFile: string;
}

/** The platform's user-data folder, e.g. ~/.local/share/idlehive on Linux. */
export function defaultHome(): string {
  return envPaths('idlehive', { suffix: '' }).data;
}

/** `--home` wins over IDLEHIVE_HOME, which wins over the platform default. */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.IDLEHIVE_HOME ?? defaultHome();
  return path.resolve(chosen);
}

export function homeLayout(root: string): HomeLayout {
  const logDir = path.join(root, 'logs');
  return {
    root,
    ledgerFile: path.join(root, 'ledger.sqlite'),
    endpointFile: path.join(root, 'agent.json'),
    apiTokenFile: path.join(root, 'api-token'),
    logDir,
    logFile: path.join(logDir, 'agent.log'),
  };
}
