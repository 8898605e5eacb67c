import { describe, expect, it } from 'vitest';
import { dashboardWindowOptions } from './window-options.ts';

describe('dashboardWindowOptions', () => {
  const options = dashboardWindowOptions('/app/dist/electron/preload.cjs');
  const web = options.webPreferences ?? {};

  it('uses the given preload', () => {
    expect(web.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
    ['safeDialogs', true],
    ['disableBlinkFeatures', 'Auxclick'],
  ] as const)('sets %s to %s', (flag, value) => {
    expect(web[flag]).toBe(value);
  });

  it('turns on no Blink features and adds no extra command-line arguments', () => {
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web).not.toHaveProperty('additionalArguments');
  });

  it('allows DevTools only in development', () => {
    expect(web.devTools).toBe(false);
    expect(dashboardWindowOptions('p', { isDevelopment: true, prefersDark: false }).webPreferences?.devTools).toBe(
      true,
    );
  });

  it('stays hidden until ready, painted in the theme’s background', () => {
    expect(options.show).toBe(false);
    expect(dashboardWindowOptions('p', { isDevelopment: false, prefersDark: true }).backgroundColor).toBe('#151412');
    expect(options.backgroundColor).toBe('#f6f5f2');
  });
});
