/**
 * Verifies request signatures on a worker thread, so the event loop, which
 * runs every request's database work in order, does not also spend 0.1 ms of
 * Ed25519 per request (a fifth of the coordinator's time under the network
 * bench). The requests read in one event-loop turn go as one batch, one
 * message each way, so the hop costs little CPU per request; a lone request
 * waits for the round trip, well under a millisecond.
 *
 * If the thread dies, its pending checks fail (answered as internal errors)
 * and the next batch starts a new one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SignatureBatch } from './signature-worker.ts';

/** Beside this file, with its extension: .ts from source, .js once built into dist/. */
const WORKER_FILE = path.join(import.meta.dirname, `signature-worker${path.extname(import.meta.filename)}`);

interface Pending {
  batch: SignatureBatch;
  settle: { resolve: (holds: boolean) => void; reject: (error: Error) => void }[];
}

export class SignatureVerifier {
  #worker: Worker | null = null;
  /** Batches sent, oldest first: the worker answers them in order. */
  readonly #sent: Pending[] = [];
  #next: Pending | null = null;
  #closed = false;

  /** Whether `signature` (base64url) by the Ed25519 key `publicKey` (base64url) covers `message`. */
  verify(publicKey: string, message: string, signature: string): Promise<boolean> {
    if (this.#closed) return Promise.reject(new Error('the signature verifier is closed'));
    return new Promise((resolve, reject) => {
      if (!this.#next) {
        this.#next = { batch: [], settle: [] };
        setImmediate(() => this.#send());
      }
      this.#next.batch.push([publicKey, message, signature]);
      this.#next.settle.push({ resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    const closed = new Error('the signature verifier is closed');
    for (const pending of this.#sent.splice(0)) for (const { reject } of pending.settle) reject(closed);
    if (worker) await worker.terminate();
  }

  #send(): void {
    const pending = this.#next;
    this.#next = null;
    if (!pending) return;
    if (this.#closed) {
      for (const { reject } of pending.settle) reject(new Error('the signature verifier is closed'));
      return;
    }
    this.#sent.push(pending);
    this.#thread().postMessage(pending.batch);
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_FILE);
    // An idle verifier must not keep the process alive; pending checks hold their requests' sockets anyway.
    worker.unref();
    worker.on('message', (verdicts: Uint8Array) => {
      const answered = this.#sent.shift();
      for (const [i, { resolve }] of (answered?.settle ?? []).entries()) resolve(verdicts[i] === 1);
    });
    const fail = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const pending of this.#sent.splice(0)) for (const { reject } of pending.settle) reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the signature verification thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
