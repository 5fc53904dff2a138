import * as vscode from 'vscode';
import { CommandIds } from './commands/CommandIds';
import { GenerationConfigFiles } from './commands/GenerationConfigFiles';
import { registerCommands } from './commands/registerCommands';
import { inlineCompletionMiddleware } from './completions/inlineCompletionMiddleware';
import { InkwellCli } from './models/InkwellCli';
import { PanelViewProvider } from './panel/PanelViewProvider';
import { resolveModelDir, toInitializationOptions, type InkwellSettings } from './settings/InkwellSettings';
import { SettingsStore } from './settings/SettingsStore';
import { SettingsSync } from './settings/SettingsSync';
import { SidecarPanelBackend } from './SidecarPanelBackend';
import { CrashPolicy } from './sidecar/CrashPolicy';
import { SidecarClient } from './sidecar/SidecarClient';
import { ModelLoadNotifier } from './status/ModelLoadNotifier';
import { StatusBar } from './status/StatusBar';
import { WatermarkHighlights } from './watermark/WatermarkHighlights';

/**
 * The composition root: every object is built here through its constructor, and every
 * Disposable goes to context.subscriptions. Activated on startup (onStartupFinished).
 */
export function activate(context: vscode.ExtensionContext): void {
  const outputChannel = vscode.window.createOutputChannel('Inkwell', { log: true });
  context.subscriptions.push(outputChannel);

  const settingsStore = new SettingsStore(outputChannel);
  let settings = settingsStore.read();
  const modelDir = (s: InkwellSettings) =>
    resolveModelDir(s.modelFolder, context.extensionPath, { workspaceFolder: settingsStore.workspaceFolder() });
  const assistantDir = (s: InkwellSettings) =>
    s.assistantModelFolder === '' ? undefined : resolveModelDir(s.assistantModelFolder, context.extensionPath, { workspaceFolder: settingsStore.workspaceFolder() });

  const sidecar = new SidecarClient({
    serverModule: context.asAbsolutePath('dist/inkwell.js'),
    outputChannel,
    initializationOptions: () => toInitializationOptions(settings, modelDir(settings), assistantDir(settings)),
    middleware: inlineCompletionMiddleware(() => settings),
    crashPolicy: new CrashPolicy(),
  });
  context.subscriptions.push({ dispose: () => void sidecar.dispose() });
  stopSidecar = () => sidecar.dispose();

  const statusBar = new StatusBar(settings.completions.enabled, CommandIds.openPanel);
  const loadNotifier = new ModelLoadNotifier(() => modelDir(settings), {
    showLogs: () => outputChannel.show(true),
    selectModelFolder: () => void vscode.commands.executeCommand(CommandIds.selectModelFolder),
  });
  context.subscriptions.push(
    statusBar,
    loadNotifier,
    sidecar.onStatus((status) => {
      statusBar.setStatus(status);
      loadNotifier.status(status);
    }),
    sidecar.onLifecycle((lifecycle) => {
      statusBar.setLifecycle(lifecycle);
      loadNotifier.lifecycle(lifecycle);
    }),
    sidecar.onGaveUp(() => {
      void vscode.window
        .showErrorMessage('The Inkwell sidecar keeps crashing and was stopped. Run "Inkwell: Restart Sidecar" to try again.', 'Show Logs', 'Restart Sidecar')
        .then((choice) => {
          if (choice === 'Show Logs') outputChannel.show(true);
          if (choice === 'Restart Sidecar') void sidecar.restart();
        });
    }),
    new SettingsSync(settingsStore, sidecar, modelDir, assistantDir, (changed) => {
      settings = changed;
      statusBar.setCompletionsEnabled(changed.completions.enabled);
    }),
  );

  const panel = new PanelViewProvider(context.extensionUri, new SidecarPanelBackend(sidecar, settingsStore));
  const watermarkHighlights = new WatermarkHighlights();
  context.subscriptions.push(
    panel,
    watermarkHighlights,
    vscode.window.registerWebviewViewProvider(PanelViewProvider.viewType, panel),
    ...registerCommands({ sidecar, settings: settingsStore, configFiles: new GenerationConfigFiles(sidecar, settingsStore), outputChannel, watermarkHighlights, cli: new InkwellCli(context.asAbsolutePath('dist/inkwell.js')) }),
  );

  sidecar.start();
}

/** Set by activate: lets deactivate wait for the sidecar's shutdown (the rest is disposed by VS Code). */
let stopSidecar: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  return stopSidecar?.();
}
