import * as vscode from 'vscode';
import { InkwellRequests } from '../../sidecar/protocol';
import { describeSidecarError } from '../sidecar/describeSidecarError';
import type { SidecarClient } from '../sidecar/SidecarClient';
import type { SettingsStore } from '../settings/SettingsStore';

const JSON_FILTER = { 'Generation config': ['json'] };

/**
 * Export and import of generation_config.json files. Export writes the sidecar's effective config
 * (inkwell/getConfig); import validates a file through inkwell/setConfig first and only then
 * writes inkwell.generationConfig, so a bad file never reaches the settings. Both take an
 * optional file (commands run from keybindings or tests skip the dialog) and say whether they
 * did anything.
 */
export class GenerationConfigFiles {
  constructor(
    private readonly sidecar: SidecarClient,
    private readonly settings: SettingsStore,
  ) {}

  async exportToFile(file?: vscode.Uri): Promise<vscode.Uri | undefined> {
    let generation;
    try {
      generation = (await this.sidecar.sendRequest(InkwellRequests.getConfig)).generation;
    } catch (error) {
      void vscode.window.showErrorMessage(`Inkwell: cannot read the generation config: ${describeSidecarError(error)}`);
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = file ?? await vscode.window.showSaveDialog({
      title: 'Export the generation config',
      saveLabel: 'Export',
      filters: JSON_FILTER,
      ...(folder && { defaultUri: vscode.Uri.joinPath(folder, 'generation_config.json') }),
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(generation, null, 2)}\n`, 'utf8'));
    void vscode.window.showInformationMessage(`Inkwell: generation config written to ${vscode.workspace.asRelativePath(target)}.`);
    return target;
  }

  async importFromFile(given?: vscode.Uri): Promise<boolean> {
    const picked = given ? [given] : await vscode.window.showOpenDialog({
      title: 'Import a generation config',
      openLabel: 'Import',
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      filters: JSON_FILTER,
    });
    const file = picked?.[0];
    if (!file) return false;
    const name = vscode.workspace.asRelativePath(file);
    let config: unknown;
    try {
      config = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'));
    } catch (error) {
      void vscode.window.showErrorMessage(`Inkwell: ${name} is not a JSON file: ${(error as Error).message}`);
      return false;
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      void vscode.window.showErrorMessage(`Inkwell: ${name} must hold a JSON object of generation parameters.`);
      return false;
    }
    const generation = config as Record<string, unknown>;
    let state;
    try {
      state = await this.sidecar.sendRequest(InkwellRequests.setConfig, { generation });
    } catch (error) {
      void vscode.window.showErrorMessage(`Inkwell: ${name} was not imported: ${describeSidecarError(error)}`);
      return false;
    }
    // What differs from the model's defaults: an exported file repeats them (token ids included).
    await this.settings.setGenerationConfig(state.user);
    void vscode.window.showInformationMessage(`Inkwell: imported the generation config from ${name}.`);
    return true;
  }
}
