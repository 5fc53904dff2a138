import * as vscode from 'vscode';
import type { GenerationConfigJson } from '../../sidecar/protocol';
import { decodeSettings, SETTINGS_SECTION, SettingKeys, withoutManagedKeys, type InkwellSettings } from './InkwellSettings';
import { MODEL_PATH_SETTINGS, modelPathValue } from './modelPathValue';

/**
 * Reads the `inkwell.*` settings (decoded, see InkwellSettings) and writes them. Writes go to the
 * scope that currently decides the value (a workspace override stays a workspace override), else
 * to the user's global settings.
 */
export class SettingsStore {
  /** The notes about ignored workspace values last shown, so that each is shown once. */
  private shownNotes = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /**
   * The settings in effect. In an untrusted workspace, the workspace's model paths are left out
   * (see modelPathValue) and a note says so, in the log and once as a warning with a way to trust.
   */
  read(): InkwellSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const notes: string[] = [];
    const { settings, problems } = decodeSettings((key) => {
      if (!MODEL_PATH_SETTINGS.includes(key)) return config.get(key);
      const chosen = modelPathValue(key, config.inspect(key), { trusted: vscode.workspace.isTrusted, workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath });
      if (chosen.ignored) notes.push(chosen.ignored);
      return chosen.value;
    });
    for (const problem of problems) this.log.warn(`setting ignored: ${problem}`);
    this.showNotes(notes);
    return settings;
  }

  /**
   * The folder relative model paths start from; none in an untrusted workspace, so that a Hub
   * model id is never taken for a folder the workspace made of the same name.
   */
  workspaceFolder(): string | undefined {
    return vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath : undefined;
  }

  affects(event: vscode.ConfigurationChangeEvent, key: (typeof SettingKeys)[keyof typeof SettingKeys] | 'completions' | 'watermark'): boolean {
    return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
  }

  /** In an untrusted workspace the user's own settings: a workspace value would not be used. */
  setModelFolder(path: string): Thenable<void> {
    return this.write(SettingKeys.modelFolder, path, vscode.workspace.isTrusted ? undefined : vscode.ConfigurationTarget.Global);
  }

  setCompletionsEnabled(enabled: boolean): Thenable<void> {
    return this.write(SettingKeys.completionsEnabled, enabled);
  }

  /** The panel's "save" and the import command: the user's own generation config. */
  setGenerationConfig(config: GenerationConfigJson): Thenable<void> {
    return this.write(SettingKeys.generationConfig, withoutManagedKeys(this.read(), config), vscode.ConfigurationTarget.Global);
  }

  private showNotes(notes: readonly string[]): void {
    const fresh = notes.filter((n) => !this.shownNotes.has(n));
    this.shownNotes = new Set(notes);
    for (const note of fresh) {
      this.log.warn(note);
      void vscode.window.showWarningMessage(`Inkwell: ${note}`, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    }
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
