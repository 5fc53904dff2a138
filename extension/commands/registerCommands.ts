import * as vscode from 'vscode';
import type { SettingsStore } from '../settings/SettingsStore';
import type { SidecarClient } from '../sidecar/SidecarClient';
import { detectWatermarkCommand, toDetectWatermarkOptions } from '../watermark/detectWatermarkCommand';
import type { WatermarkHighlights } from '../watermark/WatermarkHighlights';
import { CommandIds, PANEL_VIEW_ID } from './CommandIds';
import type { GenerationConfigFiles } from './GenerationConfigFiles';

export interface CommandDeps {
  readonly sidecar: SidecarClient;
  readonly settings: SettingsStore;
  readonly configFiles: GenerationConfigFiles;
  readonly outputChannel: vscode.OutputChannel;
  readonly watermarkHighlights: WatermarkHighlights;
}

/** Registers every contributed command; the caller owns the returned Disposables. */
export function registerCommands({ sidecar, settings, configFiles, outputChannel, watermarkHighlights }: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CommandIds.openPanel, () => vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`)),
    vscode.commands.registerCommand(CommandIds.restartSidecar, () => sidecar.restart()),
    vscode.commands.registerCommand(CommandIds.selectModelFolder, () => selectModelFolder(settings)),
    vscode.commands.registerCommand(CommandIds.exportGenerationConfig, (file?: unknown) => configFiles.exportToFile(file instanceof vscode.Uri ? file : undefined)),
    vscode.commands.registerCommand(CommandIds.importGenerationConfig, (file?: unknown) => configFiles.importFromFile(file instanceof vscode.Uri ? file : undefined)),
    vscode.commands.registerCommand(CommandIds.toggleCompletions, () => settings.setCompletionsEnabled(!settings.read().completions.enabled)),
    vscode.commands.registerCommand(CommandIds.showLogs, () => outputChannel.show(true)),
    vscode.commands.registerCommand(CommandIds.detectWatermark, (options?: unknown) =>
      detectWatermarkCommand({ sidecar, highlights: watermarkHighlights, outputChannel }, toDetectWatermarkOptions(options)),
    ),
    vscode.commands.registerCommand(CommandIds.clearWatermarkHighlights, () => watermarkHighlights.clear()),
  ];
}

/** Writes inkwell.modelFolder; SettingsSync then asks the sidecar to load it. */
async function selectModelFolder(settings: SettingsStore): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Select a model folder (Hugging Face / onnx-community layout)',
    openLabel: 'Use this model',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
  });
  const folder = picked?.[0];
  if (folder) await settings.setModelFolder(folder.fsPath);
}
