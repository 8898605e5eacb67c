/**
 * The agent's view of this computer's devices and of how jobs are isolated,
 * probed once in the background when the agent starts and then reused: the
 * probe runs outside tools (nvidia-smi can take seconds on a cold driver) and
 * the agent must answer its API long before they do. A caller that asks while
 * a probe is under way waits for that probe rather than starting another.
 */
import { probeDevices } from '../../native/devices/probe-devices.ts';
import { describeWorkerSandbox, prepareWorkerSandbox } from '../../native/sandbox/worker-sandbox.ts';
import { DEFAULT_MEMORY_LIMIT_BYTES } from '../../native/worker/worker-supervisor.ts';
import { describeError, IdlehiveError } from '../errors.ts';
import type { DevicesView } from './compute-views.ts';

export interface DeviceCatalogOptions {
  clock: () => number;
  /** Told about each probe that failed, for the log; callers get an IdlehiveError. */
  onProbeFailed?: (error: unknown) => void;
}

/** One full probe: the devices and the sandbox, side by side. */
export async function probeDevicesView(clock: () => number): Promise<DevicesView> {
  const [devices, sandbox] = await Promise.all([probeDevices(), prepareWorkerSandbox().catch(() => null)]);
  return {
    devices,
    isolation: sandbox === null ? null : describeWorkerSandbox(sandbox, DEFAULT_MEMORY_LIMIT_BYTES),
    probedAt: clock(),
  };
}

export class DeviceCatalog {
  readonly #options: DeviceCatalogOptions;
  #probe: Promise<DevicesView> | null = null;
  #isProbing = false;

  constructor(options: DeviceCatalogOptions) {
    this.#options = options;
  }

  /** Starts the first probe without waiting for it. */
  startProbe(): void {
    void this.get({ refresh: false }).catch(() => {
      // Already logged through onProbeFailed; the next get() probes again.
    });
  }

  /** The cached report, or a fresh probe when asked to (joining one already under way). */
  get({ refresh }: { refresh: boolean }): Promise<DevicesView> {
    if (this.#probe === null || (refresh && !this.#isProbing)) {
      this.#isProbing = true;
      const probe = probeDevicesView(this.#options.clock).then(
        (view) => {
          if (this.#probe === probe) this.#isProbing = false;
          return view;
        },
        (error: unknown) => {
          // Not cached: the next caller tries again.
          if (this.#probe === probe) {
            this.#probe = null;
            this.#isProbing = false;
          }
          this.#options.onProbeFailed?.(error);
          throw new IdlehiveError(
            'devices.probe_failed',
            `Could not detect this computer's devices (${describeError(error)}). Try again; details are in the agent log.`,
            { cause: error },
          );
        },
      );
      this.#probe = probe;
    }
    return this.#probe;
  }
}
