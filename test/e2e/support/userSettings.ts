import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Settings every run starts from: nothing phones home, nothing pops up over the editor. */
export const baseSettings: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

/** Writes <userDataDir>/User/settings.json: the base settings with `settings` over them. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown> = {}): string {
  const path = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...baseSettings, ...settings }, null, 2)}\n`);
  return path;
}
