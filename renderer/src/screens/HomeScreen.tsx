import type { EarningsByDay, Status } from '../../../agent/local-api/contract.ts';
import { EarningsAtAGlance } from '../components/EarningsAtAGlance.tsx';
import { OverrideControls } from '../components/OverrideControls.tsx';
import { RunningJob } from '../components/RunningJob.tsx';
import { StatusPanel } from '../components/StatusPanel.tsx';
import { TodayTimeline } from '../components/TodayTimeline.tsx';
import type { ConnectionState, DashboardAction, OverrideAction } from '../store/dashboard-reducer.ts';
import type { TodayTimeline as Timeline } from '../timeline/today.ts';

interface HomeScreenProps {
  status: Status | null;
  connection: ConnectionState;
  timeline: Timeline | null;
  earnings: EarningsByDay | null;
  timeZone: string | undefined;
  now: number;
  pendingAction: DashboardAction | null;
  actionError: string | null;
  onOverride(action: OverrideAction): void;
  onResume(): void;
}

/** What Idlehive is doing and why, the job in hand, the owner's overrides, what it earned, and today so far. */
export function HomeScreen(props: HomeScreenProps) {
  return (
    <>
      <StatusPanel status={props.status} connection={props.connection} now={props.now} />
      <RunningJob job={props.status?.job ?? null} now={props.now} />
      <OverrideControls
        status={props.status}
        connection={props.connection}
        pendingAction={props.pendingAction}
        actionError={props.actionError}
        onOverride={props.onOverride}
        onResume={props.onResume}
      />
      <EarningsAtAGlance earnings={props.earnings} timeline={props.timeline} now={props.now} />
      <TodayTimeline timeline={props.timeline} now={props.now} timeZone={props.timeZone} />
    </>
  );
}
