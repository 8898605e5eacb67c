import { useId, useState } from 'react';
import type { DevicesView, SchedulerPolicy, WalletStatus } from '../../../agent/local-api/contract.ts';
import { BenchmarkProgress } from '../components/BenchmarkProgress.tsx';
import { DeviceReport } from '../components/DeviceReport.tsx';
import type { BenchmarkState } from '../devices/benchmark-run.ts';
import { ConfirmPhraseStep } from '../first-run/ConfirmPhraseStep.tsx';
import { estimateEarnings } from '../first-run/earnings-estimate.ts';
import { WalletSetupStep } from '../first-run/WalletSetupStep.tsx';
import type { DashboardAction } from '../store/dashboard-reducer.ts';

interface FirstRunScreenProps {
  wallet: WalletStatus | null;
  devices: DevicesView | null;
  devicesProblem: string | null;
  policy: SchedulerPolicy | null;
  benchmark: BenchmarkState;
  canAct: boolean;
  pendingAction: DashboardAction | null;
  /** The agent's sentences when creating or importing the wallet, starting the benchmark or starting to earn failed. */
  walletError: string | null;
  benchmarkError: string | null;
  startError: string | null;
  /** The agent's sentence when it could not record the skip. */
  skipError: string | null;
  onCreateWallet(password: string): Promise<{ address: string; mnemonic: string } | null>;
  onImportWallet(secret: string, password: string): Promise<string | null>;
  onRunBenchmark(): void;
  onStartEarning(): void;
  onSkip(): void;
}

/** Welcome: a wallet, a look at this computer, a quick benchmark, what it can earn, then start. */
export function FirstRunScreen(props: FirstRunScreenProps) {
  const ids = useId();
  // The phrase lives here only until the owner confirmed it; the store never holds it.
  const [phrase, setPhrase] = useState<string | null>(null);
  const { wallet, benchmark, canAct, pendingAction } = props;
  const hasWallet = wallet?.wallet != null;
  const estimate = estimateEarnings(benchmark.latest, props.policy);

  const walletStep = !hasWallet ? (
    <WalletSetupStep
      canAct={canAct}
      isWorking={pendingAction === 'create-wallet' || pendingAction === 'import-wallet'}
      error={props.walletError}
      onCreate={(password) =>
        void props.onCreateWallet(password).then((created) => setPhrase(created?.mnemonic ?? null))
      }
      onImport={(secret, password) => void props.onImportWallet(secret, password)}
    />
  ) : phrase !== null ? (
    <ConfirmPhraseStep phrase={phrase} onConfirmed={() => setPhrase(null)} />
  ) : (
    <>
      <h2 className="card__heading">1. Your wallet</h2>
      <p className="card__hint" data-testid="first-run-wallet-ready">
        Ready, and unlocked for this session: <span className="address">{wallet?.wallet?.address}</span>
      </p>
    </>
  );
  const isWalletDone = hasWallet && phrase === null;

  return (
    <div className="first-run" data-testid="first-run">
      <section className="card first-run__intro" aria-labelledby={`${ids}-welcome`}>
        <h2 id={`${ids}-welcome`} className="card__heading">
          Welcome to Idlehive
        </h2>
        <p className="card__hint">
          Idlehive lends this computer to a compute network while you are away, and the network pays for verified work.
          Four short steps and it is ready.
        </p>
        <button
          type="button"
          className="button"
          data-testid="first-run-skip"
          disabled={!canAct}
          aria-busy={pendingAction === 'skip-first-run'}
          onClick={props.onSkip}
        >
          Skip for now and show the dashboard
        </button>
        <p className="card__hint">
          Skipping is remembered: the dashboard opens straight away next time. “Set up a wallet” on the Wallet screen
          brings these steps back.
        </p>
        {props.skipError !== null && (
          <p className="action-error" role="alert" data-testid="first-run-skip-error">
            {props.skipError}
          </p>
        )}
      </section>

      <section className="card">{walletStep}</section>

      {isWalletDone && (
        <>
          <section className="card" aria-labelledby={`${ids}-devices`}>
            <h2 id={`${ids}-devices`} className="card__heading">
              3. This computer
            </h2>
            {props.devices !== null ? (
              <DeviceReport view={props.devices} />
            ) : props.devicesProblem !== null ? (
              <p className="action-error" role="alert">
                {props.devicesProblem}
              </p>
            ) : (
              <p className="card__hint">Looking at this computer’s processor and graphics cards…</p>
            )}
            <p className="card__hint">
              A quick benchmark (about 20 seconds per device) measures how fast it is. Jobs wait while it runs.
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button--primary"
                data-testid="first-run-benchmark"
                disabled={!canAct || benchmark.running !== null}
                onClick={props.onRunBenchmark}
              >
                {benchmark.latest === null ? 'Run the quick benchmark' : 'Run it again'}
              </button>
            </div>
            {benchmark.running !== null && <BenchmarkProgress run={benchmark.running} id={`${ids}-progress`} />}
            {(props.benchmarkError ?? benchmark.failure) !== null && (
              <p className="action-error" role="alert" data-testid="benchmark-error">
                {props.benchmarkError ?? benchmark.failure}
              </p>
            )}
          </section>

          <section className="card" aria-labelledby={`${ids}-estimate`}>
            <h2 id={`${ids}-estimate`} className="card__heading">
              4. What this computer can earn
            </h2>
            <div data-testid="earnings-estimate">
              {estimate.sentences.map((sentence) => (
                <p key={sentence}>{sentence}</p>
              ))}
            </div>
            <button
              type="button"
              className="button button--primary button--big"
              data-testid="start-earning"
              disabled={!canAct}
              aria-busy={pendingAction === 'start-earning'}
              onClick={props.onStartEarning}
            >
              Start earning
            </button>
            {props.startError !== null && (
              <p className="action-error" role="alert">
                {props.startError}
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
