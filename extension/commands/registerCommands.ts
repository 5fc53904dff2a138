import * as vscode from 'vscode';
import type { SettingsStore } from '../settings/SettingsStore';
import type { SidecarClient } from '../sidecar/SidecarClient';
import { detectWatermarkCommand, toDetectWatermarkOptions } from '../watermark/detectWatermarkCommand';
import type { WatermarkHighlights } from '../watermark/WatermarkHighlights';
import { downloadModelCommand } from '../models/downloadModelCommand';
import type { InkwellCli } from '../models/InkwellCli';
import { selectModelCommand } from '../models/selectModelCommand';
import { CommandIds, PANEL_VIEW_ID } from './CommandIds';
import type { GenerationConfigFiles } from './GenerationConfigFiles';

export interface CommandDeps {
  readonly sidecar: SidecarClient;
  readonly settings: SettingsStore;
  readonly configFiles: GenerationConfigFiles;
  readonly outputChannel: vscode.LogOutputChannel;
  readonly watermarkHighlights: WatermarkHighlights;
  /** The bundled CLI, for downloads and the cache listing (run as child processes). */
  readonly cli: InkwellCli;
}

/** Registers every contributed command; the caller owns the returned Disposables. */
export function registerCommands({ sidecar, settings, configFiles, outputChannel, watermarkHighlights, cli }: CommandDeps): vscode.Disposable[] {
  const download = (repoId?: unknown) => downloadModelCommand({ cli, settings, outputChannel }, typeof repoId === 'string' ? repoId : undefined);
  return [
    vscode.commands.registerCommand(CommandIds.openPanel, () => vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`)),
    vscode.commands.registerCommand(CommandIds.restartSidecar, () => sidecar.restart()),
    vscode.commands.registerCommand(CommandIds.selectModelFolder, () => selectModelCommand({ cli, settings, download: () => download() })),
    vscode.commands.registerCommand(CommandIds.downloadModel, download),
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
