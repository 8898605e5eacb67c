import { useEffect, useId, useState } from 'react';
import type { DevicesView, SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';
import { CPU_DEVICE_ID, devicePatch, deviceSettings, gpuDeviceId } from '../devices/device-settings.ts';

interface DeviceControlsProps {
  view: DevicesView;
  policy: SchedulerPolicy;
  canAct: boolean;
  isSaving: boolean;
  saveError: string | null;
  onSave(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
}

/** Per device: whether jobs may use it, and for the CPU the most threads a job may take. */
export function DeviceControls({ view, policy, canAct, isSaving, saveError, onSave }: DeviceControlsProps) {
  const ids = useId();
  const cpu = deviceSettings(policy, CPU_DEVICE_ID);
  const storedThreads = cpu.maxThreads === null ? '' : String(cpu.maxThreads);
  const [threads, setThreads] = useState(storedThreads);
  const [isSaved, setSaved] = useState(false);

  useEffect(() => setThreads(storedThreads), [storedThreads]);

  const devices = [
    { id: CPU_DEVICE_ID, name: view.devices.cpu.model },
    ...view.devices.gpus.map((gpu, index) => ({ id: gpuDeviceId(index), name: gpu.name })),
  ];

  return (
    <div className="device-controls">
      {devices.map((device) => (
        <label className="check" key={device.id}>
          <input
            type="checkbox"
            data-testid={`device-enabled-${device.id}`}
            checked={deviceSettings(policy, device.id).enabled}
            disabled={!canAct}
            onChange={(event) => void onSave(devicePatch(policy, device.id, { enabled: event.target.checked }))}
          />
          <span>Use {device.name} for jobs</span>
        </label>
      ))}
      <form
        className="field"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          void onSave(devicePatch(policy, CPU_DEVICE_ID, { maxThreadsText: threads })).then((saved) =>
            setSaved(saved !== null),
          );
        }}
      >
        <label htmlFor={`${ids}-threads`}>Most processor threads a job may use</label>
        <div className="field--inline">
          <input
            id={`${ids}-threads`}
            className="input input--short"
            inputMode="numeric"
            data-testid="cpu-max-threads"
            placeholder={`all ${view.devices.cpu.logicalThreads}`}
            aria-describedby={`${ids}-threads-hint`}
            value={threads}
            onChange={(event) => {
              setSaved(false);
              setThreads(event.target.value);
            }}
          />
          <button
            type="submit"
            className="button"
            data-testid="save-cpu-threads"
            disabled={!canAct || threads === storedThreads}
            aria-busy={isSaving}
          >
            {isSaving ? 'Saving…' : 'Save limit'}
          </button>
        </div>
        <p className="field__hint" id={`${ids}-threads-hint`}>
          Leave empty to let jobs use every thread. Fewer threads keep the computer quieter and earn less.
        </p>
        <p className="form-actions__status" role="status" data-testid="device-save-status">
          {isSaved && threads === storedThreads ? 'Saved.' : ''}
        </p>
      </form>
      {saveError !== null && (
        <p className="action-error" role="alert" data-testid="device-error">
          {saveError}
        </p>
      )}
    </div>
  );
}
