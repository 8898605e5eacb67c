/**
 * The worker's environment, built from nothing: no HOME, no PATH, no tokens,
 * no NODE_OPTIONS (which could inject code into the worker). Node adds its own
 * NODE_CHANNEL_* variables for the IPC channel.
 */

export function workerEnvironment(
  platform: NodeJS.Platform = process.platform,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {
    // onnxruntime-node 1.30's Linux build embeds telemetry that, with HOME set, writes
    // ~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db and /tmp/mat-debug-PID.log
    // from native code, where the permission model cannot stop it, and uploads over HTTPS
    // when it finds CA certificates. This turns it off; withholding HOME is the second guard.
    ORT_DISABLE_TELEMETRY: '1',
  };
  if (platform === 'win32') {
    // Windows cannot load system DLLs (Winsock, crypto) for a process without SystemRoot.
    const systemRoot = parentEnv.SystemRoot ?? parentEnv.SYSTEMROOT;
    if (systemRoot) env.SystemRoot = systemRoot;
  }
  return env;
}
