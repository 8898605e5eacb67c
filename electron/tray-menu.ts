/**
 * The tray menu as a pure function of the agent's status, what main knows
 * besides (today's earnings, a downloaded update, an agent that will not
 * start) and the time (GitHub Desktop's build-default-menu idea). It returns
 * plain data with action ids, not Electron objects, so every state's menu is
 * tested without Electron; tray-controller.ts turns it into a real Menu.
 */
import type { AgentState, EarningsByDay, OwnerOverrideRequest, Status } from '../agent/local-api/contract.ts';
import { todayEarningsText } from './tray-earnings.ts';

/** The owner's overrides the tray offers; TRAY_OVERRIDE_REQUESTS says what each asks the agent for. */
export type TrayOverrideAction =
  | 'pause-15m'
  | 'pause-1h'
  | 'pause-until-tomorrow'
  | 'pause-until-resumed'
  | 'finish-then-pause'
  | 'earn-30m'
  | 'earn-1h'
  | 'earn-2h';

export type TrayAction = TrayOverrideAction | 'open-dashboard' | 'resume' | 'install-update' | 'quit';

export type TrayMenuItem =
  | { kind: 'separator' }
  | { kind: 'item'; label: string; enabled: boolean; action?: TrayAction }
  | { kind: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] };

/** The four tray images in resources/tray. */
export type TrayIconState = 'earning' | 'waiting' | 'paused' | 'error';

export interface TrayContext {
  /** The agent's verified rewards per local day (its `earnings` event); "today" is picked with the clock. */
  earnings?: EarningsByDay;
  /** An update electron-updater has downloaded, installed on restart. */
  updateReady?: { version: string };
  /** A sentence saying why there is no agent to talk to, when main gave up restarting it. */
  agentProblem?: string;
}

const STATE_LABELS: Record<AgentState, string> = {
  earning: 'Earning',
  waiting: 'Waiting',
  paused: 'Paused',
  benchmarking: 'Benchmarking this computer',
  'no-work': 'No work right now',
  error: 'Needs attention',
};

const ICON_FOR_STATE: Record<AgentState, TrayIconState> = {
  earning: 'earning',
  benchmarking: 'earning',
  waiting: 'waiting',
  'no-work': 'waiting',
  paused: 'paused',
  error: 'error',
};

/** Menus show one line; longer reasons are cut at a word with an ellipsis (the dashboard shows them whole). */
export const MAX_MENU_LABEL = 72;

export function shortenLabel(text: string, max: number = MAX_MENU_LABEL): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const cut = oneLine.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

export function trayIconState(status: Status | null, context: TrayContext = {}): TrayIconState {
  if (status === null) return context.agentProblem === undefined ? 'waiting' : 'error';
  return ICON_FOR_STATE[status.state];
}

export function trayTooltip(status: Status | null, context: TrayContext, now: number): string {
  if (status === null) {
    return context.agentProblem === undefined ? 'Idlehive: starting…' : 'Idlehive: not running';
  }
  const today = todayEarningsText(context.earnings, now);
  return `Idlehive: ${STATE_LABELS[status.state]}${today === null ? '' : ` · ${today} today`}`;
}

/** Whether the owner's pause is what Resume would end (an expired pause is the agent's to clear). */
function isPausedByOwner(status: Status): boolean {
  return status.override !== null;
}

export function buildTrayMenu(status: Status | null, context: TrayContext, now: number): TrayMenuItem[] {
  const header: TrayMenuItem[] =
    status === null
      ? [
          {
            kind: 'item',
            label: context.agentProblem === undefined ? 'Starting Idlehive…' : 'Idlehive is not running',
            enabled: false,
          },
          ...(context.agentProblem === undefined
            ? []
            : [{ kind: 'item' as const, label: shortenLabel(context.agentProblem), enabled: false }]),
        ]
      : [
          { kind: 'item', label: STATE_LABELS[status.state], enabled: false },
          { kind: 'item', label: shortenLabel(status.reason), enabled: false },
        ];

  const today = todayEarningsText(context.earnings, now);
  const earnings: TrayMenuItem[] =
    today === null ? [] : [{ kind: 'item', label: `Earned today: ${today}`, enabled: false }];
  const update: TrayMenuItem[] =
    context.updateReady === undefined
      ? []
      : [
          {
            kind: 'item',
            label: shortenLabel(`Restart to install Idlehive ${context.updateReady.version}`),
            enabled: true,
            action: 'install-update',
          },
        ];

  const item = (label: string, action: TrayAction): TrayMenuItem => ({ kind: 'item', label, enabled: true, action });
  const overrideKind = status?.override?.kind ?? null;
  const controls: TrayMenuItem[] =
    status !== null && isPausedByOwner(status)
      ? [item(overrideKind === 'earn-now' ? 'Back to my schedule' : 'Resume earning', 'resume')]
      : [
          {
            kind: 'submenu',
            label: 'Pause earning',
            enabled: status !== null,
            items: [
              item('For 15 minutes', 'pause-15m'),
              item('For 1 hour', 'pause-1h'),
              item('Until tomorrow', 'pause-until-tomorrow'),
              item('Until I resume', 'pause-until-resumed'),
              { kind: 'separator' },
              item('After the current job', 'finish-then-pause'),
            ],
          },
          {
            kind: 'submenu',
            label: 'Earn now',
            enabled: status !== null,
            items: [item('For 30 minutes', 'earn-30m'), item('For 1 hour', 'earn-1h'), item('For 2 hours', 'earn-2h')],
          },
        ];

  return [
    ...header,
    ...earnings,
    { kind: 'separator' },
    ...controls,
    { kind: 'separator' },
    ...update,
    { kind: 'item', label: 'Open dashboard', enabled: true, action: 'open-dashboard' },
    { kind: 'item', label: 'Quit Idlehive', enabled: true, action: 'quit' },
  ];
}

/** What each tray override asks the agent for, in the local API's terms (the dashboard offers the same choices). */
export const TRAY_OVERRIDE_REQUESTS: Record<TrayOverrideAction, OwnerOverrideRequest> = {
  'pause-15m': { kind: 'pause-for', durationSeconds: 15 * 60 },
  'pause-1h': { kind: 'pause-for', durationSeconds: 60 * 60 },
  'pause-until-tomorrow': { kind: 'pause-until-tomorrow' },
  'pause-until-resumed': { kind: 'pause-until-resumed' },
  'finish-then-pause': { kind: 'finish-then-pause' },
  'earn-30m': { kind: 'earn-now', durationSeconds: 30 * 60 },
  'earn-1h': { kind: 'earn-now', durationSeconds: 60 * 60 },
  'earn-2h': { kind: 'earn-now', durationSeconds: 2 * 60 * 60 },
};
