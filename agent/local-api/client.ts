/**
 * The local API client every UI uses: the renderer (browser WebSocket), the CLI
 * and Electron main (Node's built-in WebSocket, the same WHATWG class). It
 * validates every frame against the contract, so a UI never sees a shape the
 * contract does not promise.
 */
import {
  clientProtocols,
  type EventData,
  type EventName,
  isEventName,
  localApiEvents,
  localApiMethods,
  type MethodName,
  type MethodParams,
  type MethodResult,
  ServerFrameSchema,
} from './contract.ts';

export class LocalApiCallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'LocalApiCallError';
    this.code = code;
  }
}

type Listener<E extends EventName> = (data: EventData<E>) => void;

export interface LocalApiConnection {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
  /** Resolves when the socket has closed, for whatever reason. */
  readonly closed: Promise<void>;
  close(): void;
}

interface Pending {
  method: MethodName;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export interface ConnectOptions {
  /** ws://127.0.0.1:PORT/api */
  url: string;
  token: string;
  /** Fails the connect after this long (default 5 s). */
  timeoutMs?: number;
}

export function connectLocalApi(options: ConnectOptions): Promise<LocalApiConnection> {
  const socket = new WebSocket(options.url, clientProtocols(options.token));
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(data: unknown) => void>>();
  let nextId = 1;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const failAll = (reason: LocalApiCallError) => {
    for (const entry of pending.values()) entry.reject(reason);
    pending.clear();
  };

  socket.addEventListener('message', (message) => {
    if (typeof message.data !== 'string') return;
    let frame: ReturnType<typeof ServerFrameSchema.parse>;
    try {
      frame = ServerFrameSchema.parse(JSON.parse(message.data));
    } catch {
      return; // A frame outside the contract is dropped rather than trusted.
    }
    if ('event' in frame) {
      if (!isEventName(frame.event)) return;
      const parsed = localApiEvents[frame.event].safeParse(frame.data);
      if (!parsed.success) return;
      for (const listener of listeners.get(frame.event) ?? []) listener(parsed.data);
      return;
    }
    if (typeof frame.id !== 'number') return;
    const entry = pending.get(frame.id);
    if (!entry) return;
    pending.delete(frame.id);
    if ('error' in frame) {
      entry.reject(new LocalApiCallError(frame.error.code, frame.error.message));
      return;
    }
    const parsed = localApiMethods[entry.method].result.safeParse(frame.result);
    if (parsed.success) entry.resolve(parsed.data);
    else
      entry.reject(
        new LocalApiCallError('bad_reply', `The agent's reply to ${entry.method} did not match the contract.`),
      );
  });

  socket.addEventListener('close', () => {
    failAll(new LocalApiCallError('disconnected', 'The connection to the Idlehive agent closed.'));
    resolveClosed();
  });

  const connection: LocalApiConnection = {
    call(method, params) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.reject(new LocalApiCallError('disconnected', 'Not connected to the Idlehive agent.'));
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const untyped = listener as (data: unknown) => void;
      set.add(untyped);
      return () => set.delete(untyped);
    },
    closed,
    close() {
      socket.close(1000, 'client closing');
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new LocalApiCallError('connect_timeout', 'The Idlehive agent did not answer in time.'));
    }, options.timeoutMs ?? 5000);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      resolve(connection);
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(
        new LocalApiCallError(
          'connect_failed',
          'Could not connect to the Idlehive agent (it refused the connection or the token).',
        ),
      );
    });
  });
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to a 10 s ceiling, with jitter from `random`. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + 0.5 * random()));
}
