/**
 * The one zustand store of the dashboard. Everything that changes it goes
 * through `dispatch` and `reduceDashboard`, so the transitions are the tested
 * pure function and the store adds only subscription.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type DashboardEvent,
  type DashboardState,
  INITIAL_DASHBOARD_STATE,
  reduceDashboard,
} from './dashboard-reducer.ts';

export interface DashboardStore extends DashboardState {
  dispatch(event: DashboardEvent): void;
}

export function createDashboardStore(
  initial: DashboardState = { ...INITIAL_DASHBOARD_STATE, now: Date.now() },
): StoreApi<DashboardStore> {
  return createStore<DashboardStore>()((set) => ({
    ...initial,
    dispatch: (event) => set((state) => reduceDashboard(state, event)),
  }));
}

/** Select one slice; pick primitives or stable references so components re-render only when it changes. */
export function useDashboard<T>(store: StoreApi<DashboardStore>, selector: (state: DashboardStore) => T): T {
  return useStore(store, selector);
}
