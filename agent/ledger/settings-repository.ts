/**
 * Settings live in the ledger as one row per key (JSON values), so adding a
 * setting never needs a migration and a newer agent's extra keys survive.
 */
import { DEFAULT_SETTINGS, type Settings, SettingsSchema } from '../local-api/contract.ts';
import type { LedgerDatabase } from './open-ledger.ts';

type SettingKey = keyof Settings;
const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

export class SettingsRepository {
  private readonly db: LedgerDatabase;
  private readonly clock: () => number;

  constructor(db: LedgerDatabase, clock: () => number) {
    this.db = db;
    this.clock = clock;
  }

  read(): Settings {
    const rows = this.db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[];
    const stored = new Map(rows.map((row) => [row.key, row.value_json]));
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of SETTING_KEYS) {
      const json = stored.get(key);
      if (json === undefined) continue;
      // A value that no longer validates (hand-edited file) keeps its default rather than breaking startup.
      const parsed = SettingsSchema.shape[key].safeParse(JSON.parse(json));
      if (parsed.success) merged[key] = parsed.data;
    }
    return SettingsSchema.parse(merged);
  }

  /** Writes the already-validated patch atomically and returns all settings. */
  write(patch: Partial<Settings>): Settings {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
    const now = this.clock();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        upsert.run(key, JSON.stringify(value), now);
      }
    })();
    return this.read();
  }
}
