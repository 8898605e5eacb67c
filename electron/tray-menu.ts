/**
 * The tray menu as a pure function of the agent's status (GitHub Desktop's
 * build-default-menu idea). It returns plain data with action ids, not
 * Electron objects, so every state's menu is tested without Electron;
 * tray-controller.ts turns it into a real Menu.
 */
import type { AgentState, Status } from '../agent/local-api/contract.ts';

export type TrayAction = 'open-dashboard' | 'pause-15m' | 'pause-1h' | 'pause-until-resumed' | 'resume' | 'quit';

export type TrayMenuItem =
  | { kind: 'separator' }
  | { kind: 'item'; label: string; enabled: boolean; action?: TrayAction }
  | { kind: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] };

/** The four tray images in resources/tray. */
export type TrayIconState = 'earning' | 'waiting' | 'paused' | 'error';

export interface TrayContext {
  /** Today's earnings, already formatted with its unit (the earnings module formats money). */
  todayEarnings?: string;
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

export function trayTooltip(status: Status | null, context: TrayContext = {}): string {
  if (status === null) {
    return context.agentProblem === undefined ? 'Idlehive: starting…' : 'Idlehive: not running';
  }
  return `Idlehive: ${STATE_LABELS[status.state]}`;
}

/** Whether the owner's pause is what Resume would end (an expired pause is the agent's to clear). */
function isPausedByOwner(status: Status): boolean {
  return status.override !== null;
}

export function buildTrayMenu(status: Status | null, context: TrayContext = {}): TrayMenuItem[] {
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

  const earnings: TrayMenuItem[] =
    context.todayEarnings === undefined
      ? []
      : [{ kind: 'item', label: `Earned today: ${context.todayEarnings}`, enabled: false }];

  const control: TrayMenuItem =
    status !== null && isPausedByOwner(status)
      ? { kind: 'item', label: 'Resume earning', enabled: true, action: 'resume' }
      : {
          kind: 'submenu',
          label: 'Pause earning',
          enabled: status !== null,
          items: [
            { kind: 'item', label: 'For 15 minutes', enabled: true, action: 'pause-15m' },
            { kind: 'item', label: 'For 1 hour', enabled: true, action: 'pause-1h' },
            { kind: 'item', label: 'Until I resume', enabled: true, action: 'pause-until-resumed' },
          ],
        };

  return [
    ...header,
    ...earnings,
    { kind: 'separator' },
    control,
    { kind: 'separator' },
    { kind: 'item', label: 'Open dashboard', enabled: true, action: 'open-dashboard' },
    { kind: 'item', label: 'Quit Idlehive', enabled: true, action: 'quit' },
  ];
}

/** The pause each tray action asks for, in the local API's terms. */
export const TRAY_PAUSE_SECONDS: Record<Extract<TrayAction, `pause-${string}`>, number | undefined> = {
  'pause-15m': 15 * 60,
  'pause-1h': 60 * 60,
  'pause-until-resumed': undefined,
};
