import type { Settings } from '../../../agent/local-api/contract.ts';

type Theme = Settings['theme'];

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

interface ThemeSwitchProps {
  theme: Theme;
  disabled: boolean;
  onChange(theme: Theme): void;
}

/** The theme setting as three radio buttons; the choice is stored by the agent like every setting. */
export function ThemeSwitch({ theme, disabled, onChange }: ThemeSwitchProps) {
  return (
    <fieldset className="theme-switch" disabled={disabled}>
      <legend className="theme-switch__legend">Theme</legend>
      {THEMES.map(({ value, label }) => (
        <label key={value} className="theme-switch__option">
          <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => onChange(value)} />
          <span>{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
