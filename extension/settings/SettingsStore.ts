import * as vscode from 'vscode';
import type { GenerationConfigJson } from '../../sidecar/protocol';
import { decodeSettings, SETTINGS_SECTION, SettingKeys, withoutManagedKeys, type InkwellSettings } from './InkwellSettings';

/**
 * Reads the `inkwell.*` settings (decoded, see InkwellSettings) and writes them. Writes go to the
 * scope that currently decides the value (a workspace override stays a workspace override), else
 * to the user's global settings.
 */
export class SettingsStore {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  read(): InkwellSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const { settings, problems } = decodeSettings((key) => config.get(key));
    for (const problem of problems) this.log.warn(`setting ignored: ${problem}`);
    return settings;
  }

  /** The folder relative model paths start from. */
  workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  affects(event: vscode.ConfigurationChangeEvent, key: (typeof SettingKeys)[keyof typeof SettingKeys] | 'completions' | 'watermark'): boolean {
    return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
  }

  setModelFolder(path: string): Thenable<void> {
    return this.write(SettingKeys.modelFolder, path);
  }

  setCompletionsEnabled(enabled: boolean): Thenable<void> {
    return this.write(SettingKeys.completionsEnabled, enabled);
  }

  /** The panel's "save" and the import command: the user's own generation config. */
  setGenerationConfig(config: GenerationConfigJson): Thenable<void> {
    return this.write(SettingKeys.generationConfig, withoutManagedKeys(this.read(), config), vscode.ConfigurationTarget.Global);
  }

  private write(key: string, value: unknown, target?: vscode.ConfigurationTarget): Thenable<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return config.update(key, value, target ?? deciding(config.inspect(key)));
  }
}

function deciding(inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
