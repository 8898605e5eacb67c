import { useId } from 'react';
import type { DevicesView, SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';
import { HEAT_RESUME_MARGIN_C } from '../../../agent/scheduler/heat-latch.ts';
import { kindTemperatureLimitFor } from '../../../agent/scheduler/policy.ts';
import { controlledDevices, devicePatch, deviceSettings } from '../devices/device-settings.ts';
import { LimitField } from './LimitField.tsx';

interface DeviceControlsProps {
  view: DevicesView;
  policy: SchedulerPolicy;
  canAct: boolean;
  isSaving: boolean;
  saveError: string | null;
  onSave(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
}

/**
 * Per device: whether jobs may use it, for the CPU the most threads a job may
 * take, and for each device whose temperature the agent reads the limit
 * above which it rests. Every value is the scheduler's policy, keyed by the
 * ids the scheduler uses.
 */
export function DeviceControls({ view, policy, canAct, isSaving, saveError, onSave }: DeviceControlsProps) {
  const ids = useId();
  const save = async (patch: Partial<SchedulerPolicyInput>) => (await onSave(patch)) !== null;
  return (
    <div className="device-controls">
      {controlledDevices(view).map((device, index) => {
        const settings = deviceSettings(policy, device.id);
        const fieldId = `${ids}-${index}`;
        return (
          <fieldset className="device-setting" key={device.id} data-testid={`device-setting-${device.id}`}>
            <legend className="device-setting__name">
              {device.name} <span className="device-setting__id">({device.id})</span>
            </legend>
            <label className="check">
              <input
                type="checkbox"
                data-testid={`device-enabled-${device.id}`}
                checked={settings.enabled}
                disabled={!canAct}
                onChange={(event) => void onSave(devicePatch(policy, device.id, { enabled: event.target.checked }))}
              />
              <span>Use {device.name} for jobs</span>
            </label>
            {device.kind === 'cpu' && (
              <LimitField
                id={`${fieldId}-threads`}
                label="Most processor threads a job may use"
                hint="Leave empty to let jobs use every thread. Fewer threads keep the computer quieter and earn less."
                stored={settings.maxThreads === null ? '' : String(settings.maxThreads)}
                placeholder={`all ${view.devices.cpu.logicalThreads}`}
                testId="cpu-max-threads"
                saveTestId="save-cpu-threads"
                statusTestId="device-save-status"
                canAct={canAct}
                isSaving={isSaving}
                onSave={(text) => save(devicePatch(policy, device.id, { maxThreadsText: text }))}
              />
            )}
            {device.readsTemperature ? (
              <LimitField
                id={`${fieldId}-heat`}
                label="Rest above this temperature (°C)"
                hint={`Jobs stop on this device above the limit and start again once it is ${HEAT_RESUME_MARGIN_C} °C cooler. Leave empty to use the limit for all graphics cards set on the Schedule screen, now ${kindTemperatureLimitFor(policy, device.kind)} °C.`}
                stored={settings.temperatureLimitC === null ? '' : String(settings.temperatureLimitC)}
                placeholder={`${kindTemperatureLimitFor(policy, device.kind)}`}
                testId={`temperature-limit-${device.id}`}
                saveTestId={`save-temperature-${device.id}`}
                statusTestId={`temperature-save-status-${device.id}`}
                canAct={canAct}
                isSaving={isSaving}
                onSave={(text) => save(devicePatch(policy, device.id, { temperatureLimitText: text }))}
              />
            ) : (
              <p className="field__hint" data-testid={`temperature-unread-${device.id}`}>
                {device.kind === 'cpu'
                  ? 'Idlehive does not read the processor’s temperature, so no temperature limit applies to it.'
                  : 'Idlehive reads temperatures of NVIDIA graphics cards only (through nvidia-smi), so no temperature limit applies to this one.'}
              </p>
            )}
          </fieldset>
        );
      })}
      {saveError !== null && (
        <p className="action-error" role="alert" data-testid="device-error">
          {saveError}
        </p>
      )}
    </div>
  );
}
