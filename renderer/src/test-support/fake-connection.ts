/** An in-memory LocalApiConnection: tests push events, answer calls and close it like the agent would. */
import type { LocalApiConnection } from '../../../agent/local-api/client.ts';
import type { EventData, EventName, MethodName } from '../../../agent/local-api/contract.ts';

export interface FakeConnection extends LocalApiConnection {
  calls: { method: MethodName; params: unknown }[];
  push<E extends EventName>(event: E, data: EventData<E>): void;
  /** Simulates the agent going away. */
  drop(): void;
  isClosed(): boolean;
}

export function fakeConnection(answer: (method: MethodName, params: unknown) => Promise<unknown>): FakeConnection {
  const listeners = new Map<EventName, Set<(data: unknown) => void>>();
  let closeSocket: () => void = () => {};
  let closedFlag = false;
  const closed = new Promise<void>((resolve) => {
    closeSocket = () => {
      closedFlag = true;
      resolve();
    };
  });
  const calls: FakeConnection['calls'] = [];
  const connection: FakeConnection = {
    calls,
    call(method, params) {
      calls.push({ method, params });
      // biome-ignore lint/suspicious/noExplicitAny: the fake answers every method with whatever the test gives.
      return answer(method, params) as Promise<any>;
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
    close: () => closeSocket(),
    push(event, data) {
      for (const listener of listeners.get(event) ?? []) listener(data);
    },
    drop: () => closeSocket(),
    isClosed: () => closedFlag,
  };
  return connection;
}
