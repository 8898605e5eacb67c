/**
 * A tiny process that ends a child (anvil) when the process that started it
 * dies in any way, SIGKILL included, which no exit handler can catch. Its
 * stdin is a pipe from that parent, which it never writes: the kernel closes
 * the pipe when the parent dies, and the end of stdin is the signal.
 *
 *     node child-watchdog.ts CHILD_PID
 *
 * It ignores SIGINT: a Ctrl-C in a terminal reaches the whole process group,
 * and the parent's own clean shutdown (which ends this process) comes first.
 * It exits by itself once the child is gone.
 */
const GRACE_MS = 5_000;
const CHECK_EVERY_MS = 1_000;

const childPid = Number(process.argv[2]);
if (!Number.isInteger(childPid) || childPid <= 0) {
  process.stderr.write('child-watchdog: pass the pid to watch over as the only argument.\n');
  process.exit(2);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(name: NodeJS.Signals): void {
  try {
    process.kill(childPid, name);
  } catch {
    // Already gone: nothing to end.
  }
}

process.on('SIGINT', () => {});

const watch = setInterval(() => {
  if (!isAlive(childPid)) process.exit(0);
}, CHECK_EVERY_MS);

process.stdin.on('data', () => {});
process.stdin.on('end', () => {
  clearInterval(watch);
  // SIGTERM first, so anvil dumps its state; SIGKILL if it does not go.
  signal('SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  const wait = setInterval(() => {
    if (!isAlive(childPid)) process.exit(0);
    if (Date.now() > deadline) {
      signal('SIGKILL');
      process.exit(0);
    }
  }, 50);
  wait.unref();
  setTimeout(() => process.exit(0), GRACE_MS + 500);
});
process.stdin.resume();
