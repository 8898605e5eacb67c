/**
 * The shared-memory addon (shared-memory/shared_memory.c, Linux): the tensor
 * rings mapped into both processes, so a tensor crosses with one memcpy on
 * each side instead of a pwrite and a pread through the page cache. Built by
 * `npm ci` (tools/build-shared-memory.ts); where it is missing or does not
 * load, the rings are read and written through their descriptors as before.
 *
 * It lives in native/worker/ because the worker loads it too, and the worker
 * may read nothing outside this folder and its three packages.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** An opaque handle to one mapping; the addon checks every access against its length. */
export type MappingHandle = { readonly __brand: 'MappingHandle' };

export interface SharedMemoryAddon {
  /**
   * A descriptor of a new anonymous memory file of byteLength bytes, allocated
   * now and sealed against shrinking and growing, so no holder of a descriptor
   * (the worker included) can pull it out from under a mapping.
   */
  createRing(byteLength: number): number;
  /** Maps the file's first byteLength bytes, shared; refuses a file shorter than that. */
  map(fd: number, byteLength: number, writable: boolean): MappingHandle;
  /** Copies bytes into the mapping at offset (a Uint8Array: view any other array's bytes as one first). */
  write(mapping: MappingHandle, offset: number, bytes: Uint8Array): void;
  /** Copies the mapping's bytes at offset into bytes. */
  read(mapping: MappingHandle, offset: number, bytes: Uint8Array): void;
  unmap(mapping: MappingHandle): void;
  /** malloc_trim: malloc's free pages handed back to the kernel; false where the C library has no such call. */
  releaseFreeHeap(): boolean;
}

/** The addon's sources, beside this module (native/worker/ in development, dist/native/worker/ when built). */
export const SHARED_MEMORY_ADDON_DIR = path.join(import.meta.dirname, 'shared-memory');
/** Where node-gyp puts the addon (and `npm run build` stages it under dist/). */
export const SHARED_MEMORY_ADDON_PATH = path.join(
  SHARED_MEMORY_ADDON_DIR,
  'build',
  'Release',
  'idlehive_shared_memory.node',
);

let loaded: { addon: SharedMemoryAddon | null; reason: string | null } | null = null;

/** The addon, or null with the reason it is not available (not Linux, not built, or refused to load). */
export function loadSharedMemory(): { addon: SharedMemoryAddon | null; reason: string | null } {
  if (loaded !== null) return loaded;
  if (process.platform !== 'linux') {
    loaded = { addon: null, reason: 'the tensor rings are mapped only on Linux' };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(SHARED_MEMORY_ADDON_PATH) as SharedMemoryAddon;
    // A build from older sources lacks what callers now use: say so rather than fail at the first call.
    loaded =
      typeof addon.releaseFreeHeap === 'function'
        ? { addon, reason: null }
        : { addon: null, reason: 'the shared-memory addon is older than its sources; run npm ci to rebuild it' };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    loaded = { addon: null, reason: `the shared-memory addon did not load (${detail}); run npm ci to build it` };
  }
  return loaded;
}
