/** The Schedule screen rendered from an agent-shaped policy, without a browser. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import { ScheduleScreen } from './ScheduleScreen.tsx';

const props = {
  canSave: true,
  isSaving: false,
  saveError: null,
  onSave: async () => null,
};

describe('ScheduleScreen', () => {
  it('shows the stored GPU temperature limit, labelled, with a hint on where it applies and what overrides it', () => {
    const policy = parseSchedulerPolicy({ timeZone: 'UTC', gpuTemperatureLimitC: 76 });
    const markup = renderToStaticMarkup(<ScheduleScreen {...props} policy={policy} />);
    const input = /<input[^>]*data-testid="gpu-temperature-limit"[^>]*>/.exec(markup)?.[0] ?? '';
    expect(input).toContain('value="76"');
    const id = /id="([^"]+)"/.exec(input)?.[1];
    const hintId = /aria-describedby="([^"]+)"/.exec(input)?.[1];
    expect(markup).toContain(`<label for="${id}">Rest graphics cards hotter than (°C)</label>`);
    const hint = new RegExp(`<p class="field__hint" id="${hintId}">([^<]*(?:<!-- -->[^<]*)*)</p>`).exec(markup)?.[1];
    const words = hint?.replaceAll('<!-- -->', '');
    expect(words).toContain('only to NVIDIA cards, whose temperature Idlehive reads');
    expect(words).toContain('a limit set for a card on the Devices screen overrides it');
    expect(words).toContain('Between 40 and 110 °C; the default is 83 °C.');
  });

  it('says it is loading before the policy arrives', () => {
    expect(renderToStaticMarkup(<ScheduleScreen {...props} policy={null} />)).toContain('Loading your schedule');
  });
});
