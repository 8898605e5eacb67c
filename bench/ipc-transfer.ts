/**
 * `node bench/ipc-transfer.ts [--kib N] [--messages N]`: what moving one
 * result of N KiB from a child process to this one costs, per message, in
 * CPU on each side and in wall time, over three transports: Node's IPC with
 * 'advanced' serialization (what the worker uses), raw length-prefixed frames
 * on a plain pipe read into a reused buffer (the "leaner transport" candidate),
 * and for scale one in-memory copy of the same bytes. A diagnostic for
 * sandbox_throughput_ratio (bench/compute.ts): it shows whether a result's
 * trip costs per message (which batching amortises) or per byte (which only
 * fewer copies can cut). Figures are in ARCHITECTURE.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RingSpace, TENSOR_RING_BYTES } from '../native/worker/tensor-ring.ts';

const { values } = parseArgs({
  options: {
    kib: { type: 'string', default: '128' },
    messages: { type: 'string', default: '2000' },
    child: { type: 'string' },
  },
});
const bytes = Number(values.kib) * 1024;
const messages = Number(values.messages);
/** Room for many messages (the worker's ring holds at least four of its largest tensors). */
const RING_BYTES = Math.min(TENSOR_RING_BYTES, 64 * Math.ceil(bytes / 8) * 8);
let sharedRingFd: number | null = null;
/** An unlinked tmpfs file: memory both processes reach through the descriptor alone. */
function ringFd(): number {
  if (sharedRingFd === null) {
    const file = `/dev/shm/idlehive-ipc-transfer-${process.pid}`;
    sharedRingFd = fs.openSync(file, 'w+');
    fs.unlinkSync(file);
  }
  return sharedRingFd;
}
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

if (values.child !== undefined) {
  sendAll(values.child);
} else {
  console.log(`one ${values.kib} KiB float32 result per message, ${messages} messages`);
  const copy = measureCopy();
  console.log(`in-memory copy:             ${copy.toFixed(3)} ms per copy`);
  const labels = {
    ipc: "Node IPC ('advanced')",
    pipe: 'raw frames on a pipe ',
    ring: 'shared tmpfs ring     ',
  } as const;
  for (const transport of ['ipc', 'pipe', 'ring'] as const) {
    const figures = await receiveAll(transport);
    console.log(
      `${labels[transport]}:  wall ${figures.wallMs.toFixed(3)} ms, receiver CPU ${figures.receiverCpuMs.toFixed(3)} ms, sender CPU ${figures.senderCpuMs.toFixed(3)} ms per message (${(figures.receiverCpuMs / copy).toFixed(1)} copies' worth on the receiving side)`,
    );
  }
}

function measureCopy(): number {
  const data = new Float32Array(bytes / 4).fill(1.5);
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < messages; i++) sink += data.slice()[i % data.length] ?? 0;
  return (performance.now() - started) / messages + sink * 0;
}

function receiveAll(
  transport: 'ipc' | 'pipe' | 'ring',
): Promise<{ wallMs: number; receiverCpuMs: number; senderCpuMs: number }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--kib', String(values.kib), '--messages', String(messages), '--child', transport],
    {
      stdio: [
        'ignore',
        'ignore',
        'pipe',
        transport === 'pipe' ? 'pipe' : 'ipc',
        transport === 'ring' ? ringFd() : 'ignore',
      ],
      serialization: 'advanced',
    },
  );
  let senderCpu = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    senderCpu += chunk.toString();
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve, reject) => {
    let received = 0;
    let wallMs = 0;
    let receiverCpuMs = 0;
    const arrived = () => {
      received += 1;
      if (received < messages) return;
      wallMs = (performance.now() - started) / messages;
      receiverCpuMs = cpuMs(process.cpuUsage(cpuBefore)) / messages;
    };
    if (transport === 'ipc') {
      child.on('message', (message: { data?: Float32Array }) => {
        if (message.data?.length !== bytes / 4) reject(new Error('a message arrived incomplete'));
        arrived();
      });
    } else if (transport === 'ring') {
      // What the worker's result ring does: the bytes are read out of the shared file, the message says where.
      child.on('message', (message: { offset: number; byteLength: number; end: number }) => {
        const data = Buffer.allocUnsafe(message.byteLength);
        if (fs.readSync(ringFd(), data, 0, message.byteLength, message.offset) !== bytes) {
          reject(new Error('a result arrived incomplete'));
        }
        child.send({ released: message.end });
        arrived();
      });
    } else {
      const frame = Buffer.allocUnsafe(bytes);
      let filled = 0;
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        for (let at = 0; at < chunk.length; ) {
          const take = Math.min(bytes - filled, chunk.length - at);
          chunk.copy(frame, filled, at, at + take);
          filled += take;
          at += take;
          if (filled === bytes) {
            filled = 0;
            arrived();
          }
        }
      });
    }
    child.on('exit', () => {
      if (received < messages) reject(new Error(`the sender stopped after ${received} messages: ${senderCpu}`));
      else resolve({ wallMs, receiverCpuMs, senderCpuMs: Number(senderCpu.trim()) / messages });
    });
  });
}

function sendAll(transport: string): void {
  const data = new Float32Array(bytes / 4).fill(1.5);
  const cpuBefore = process.cpuUsage();
  const finish = () => {
    process.stderr.write(String(cpuMs(process.cpuUsage(cpuBefore))));
    process.exit(0);
  };
  let sent = 0;
  if (transport === 'ipc') {
    const next = (): void => {
      if (sent++ >= messages) {
        finish();
        return;
      }
      // A fresh array each time, as each run's output is.
      process.send?.({ dims: [data.length], data: data.slice() }, undefined, undefined, next);
    };
    next();
    return;
  }
  if (transport === 'ring') {
    // The worker's own space bookkeeping: the same padding, wrapping and waiting for the reader.
    const space = new RingSpace(RING_BYTES);
    let waiting = false;
    const next = (): void => {
      while (sent < messages) {
        const offset = space.take(bytes);
        if (offset === null) {
          waiting = true;
          return;
        }
        sent += 1;
        const output = data.slice();
        fs.writeSync(4, new Uint8Array(output.buffer), 0, bytes, offset);
        process.send?.({ offset, byteLength: bytes, end: space.head });
      }
      process.channel?.unref();
      setTimeout(finish, 20);
    };
    process.on('message', (message: { released: number }) => {
      if (!space.release(message.released)) throw new Error(`released up to ${message.released}, past what was sent`);
      if (waiting) {
        waiting = false;
        next();
      }
    });
    next();
    return;
  }
  const out = fs.createWriteStream('', { fd: 3 });
  const next = (): void => {
    while (sent < messages) {
      sent += 1;
      const output = data.slice();
      if (!out.write(Buffer.from(output.buffer))) {
        out.once('drain', next);
        return;
      }
    }
    out.end(finish);
  };
  next();
}
