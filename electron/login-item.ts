/**
 * Start at login. The owner's choice is the agent's `startAtLogin` setting
 * (so the dashboard, the CLI and every client see and change the same value);
 * main applies it to the OS whenever the setting arrives. macOS and Windows
 * have Electron's login items; Linux has no such API in Electron, so the
 * freedesktop autostart entry (~/.config/autostart/idlehive.desktop) is written
 * or removed instead. The decisions here are pure; login-item-writer.ts acts.
 */
import path from 'node:path';
import { START_HIDDEN_FLAG } from './launch-options.ts';

export const AUTOSTART_FILE_NAME = 'idlehive.desktop';

export type LoginItemPlan =
  | { kind: 'electron-login-item'; openAtLogin: boolean; args: string[] }
  | { kind: 'autostart-file'; file: string; contents: string | null };

/** A desktop-entry Exec value: arguments with spaces or quotes are quoted, as the spec asks. */
export function desktopExecLine(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((part) => (/[\s"'\\$`]/.test(part) ? `"${part.replace(/(["\\$`])/g, '\\$1')}"` : part))
    .join(' ');
}

export function autostartDesktopEntry(command: string, args: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Idlehive',
    'Comment=Earn with this computer’s spare CPU and GPU while you are away',
    `Exec=${desktopExecLine(command, args)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** $XDG_CONFIG_HOME/autostart, defaulting to ~/.config/autostart as the XDG spec says. */
export function autostartDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  return path.join(configHome && path.isAbsolute(configHome) ? configHome : path.join(homeDir, '.config'), 'autostart');
}

export interface LoginItemFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** process.execPath: the app binary (an AppImage runs from $APPIMAGE, which moves with the file). */
  execPath: string;
  /** The app path to pass when running unpackaged (`electron .`); null when packaged. */
  appPathArg: string | null;
}

/** How to make the OS start Idlehive at login (hidden, in the tray) or stop doing so. */
export function planLoginItem(enabled: boolean, facts: LoginItemFacts): LoginItemPlan {
  const args = [...(facts.appPathArg === null ? [] : [facts.appPathArg]), START_HIDDEN_FLAG];
  if (facts.platform !== 'linux') return { kind: 'electron-login-item', openAtLogin: enabled, args };
  const command = facts.env.APPIMAGE && path.isAbsolute(facts.env.APPIMAGE) ? facts.env.APPIMAGE : facts.execPath;
  return {
    kind: 'autostart-file',
    file: path.join(autostartDir(facts.env, facts.homeDir), AUTOSTART_FILE_NAME),
    contents: enabled ? autostartDesktopEntry(command, args) : null,
  };
}
