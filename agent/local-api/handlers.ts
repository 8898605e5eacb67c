/**
 * The agent's side of every local API method, wired to the services that own
 * the state. Params arrive already validated against the contract.
 */
import type { ControlService } from '../control/control-service.ts';
import type { JournalRepository } from '../ledger/journal-repository.ts';
import type { SettingsRepository } from '../ledger/settings-repository.ts';
import type { Settings } from './contract.ts';
import type { MethodHandlers } from './dispatch.ts';

export interface HandlerDependencies {
  control: ControlService;
  settings: SettingsRepository;
  journal: JournalRepository;
  clock: () => number;
  onSettingsChanged: (settings: Settings) => void;
}

export function createLocalApiHandlers(deps: HandlerDependencies): MethodHandlers {
  return {
    'status.get': () => deps.control.status(),
    'control.pause': ({ durationSeconds }) => {
      deps.journal.append(deps.clock(), 'owner.paused', { durationSeconds: durationSeconds ?? null });
      return deps.control.pause(durationSeconds);
    },
    'control.resume': () => {
      deps.journal.append(deps.clock(), 'owner.resumed', {});
      return deps.control.resume();
    },
    'settings.get': () => deps.settings.read(),
    'settings.set': ({ patch }) => {
      const next = deps.settings.write(patch);
      deps.journal.append(deps.clock(), 'settings.changed', { keys: Object.keys(patch) });
      deps.onSettingsChanged(next);
      return next;
    },
  };
}
