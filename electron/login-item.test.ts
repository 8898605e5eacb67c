import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, autostartDir, desktopExecLine, planLoginItem } from './login-item.ts';

const linux = {
  platform: 'linux' as const,
  env: {},
  homeDir: '/home/ada',
  execPath: '/opt/Idlehive/idlehive',
  appPathArg: null,
};

describe('planLoginItem', () => {
  it('uses Electron’s login item on macOS and Windows, started hidden', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(planLoginItem(true, { ...linux, platform })).toEqual({
        kind: 'electron-login-item',
        openAtLogin: true,
        args: ['--hidden'],
      });
      expect(planLoginItem(false, { ...linux, platform })).toMatchObject({ openAtLogin: false });
    }
  });

  it('writes an autostart entry on Linux, and removes it when turned off', () => {
    const on = planLoginItem(true, linux);
    expect(on).toMatchObject({ kind: 'autostart-file', file: '/home/ada/.config/autostart/idlehive.desktop' });
    expect(on.kind === 'autostart-file' && on.contents).toContain('Exec=/opt/Idlehive/idlehive --hidden\n');
    expect(planLoginItem(false, linux)).toEqual({
      kind: 'autostart-file',
      file: '/home/ada/.config/autostart/idlehive.desktop',
      contents: null,
    });
  });

  it('starts the AppImage file itself, not its temporary mount', () => {
    const plan = planLoginItem(true, { ...linux, env: { APPIMAGE: '/home/ada/Apps/Idlehive.AppImage' } });
    expect(plan.kind === 'autostart-file' && plan.contents).toContain('Exec=/home/ada/Apps/Idlehive.AppImage --hidden');
  });

  it('passes the app folder when running unpackaged', () => {
    const plan = planLoginItem(true, { ...linux, platform: 'darwin', appPathArg: '/src/idlehive' });
    expect(plan).toMatchObject({ args: ['/src/idlehive', '--hidden'] });
  });
});

describe('autostartDir', () => {
  it('follows an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'cfg' }, '/home/ada')).toBe('/home/ada/.config/autostart');
    expect(autostartDir({}, '/home/ada')).toBe('/home/ada/.config/autostart');
  });
});

describe('desktopExecLine', () => {
  it('quotes arguments with spaces and escapes quotes, backslashes, $ and backticks', () => {
    expect(desktopExecLine('/opt/My Apps/idlehive', ['--hidden'])).toBe('"/opt/My Apps/idlehive" --hidden');
    expect(desktopExecLine('/a"b', [])).toBe('"/a\\"b"');
    expect(desktopExecLine('/a$b`c\\d', [])).toBe('"/a\\$b\\`c\\\\d"');
  });

  it('is a valid desktop entry with one Exec line', () => {
    const entry = autostartDesktopEntry('/usr/bin/idlehive', ['--hidden']);
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(entry.match(/^Exec=/gm)).toHaveLength(1);
    expect(entry).toContain('Type=Application');
  });
});
