import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { StatusInfo } from '../../sidecar/protocol';
import type { SidecarLifecycle } from './formatStatusBar';

/**
 * Turns the sidecar's status into what the user sees about model loading: a progress
 * notification (with the folder's name) while the state is 'loading', and an error message
 * naming the folder and the reason when a load fails. The previous model, if any, keeps serving.
 */
export class ModelLoadNotifier implements vscode.Disposable {
  private endProgress: (() => void) | undefined;
  private loadingDir: string | undefined;
  private lastShownError: string | undefined;

  constructor(
    /** The folder the settings ask for: named when an error arrives without a load seen before it. */
    private readonly expectedDir: () => string,
    private readonly actions: { readonly showLogs: () => void; readonly selectModelFolder: () => void },
  ) {}

  status(status: StatusInfo): void {
    if (status.loading) {
      this.loadingDir = status.loading.dir;
      if (!this.endProgress) this.startProgress(status.loading.dir);
      return;
    }
    const wasLoading = this.endProgress !== undefined;
    this.stopProgress();
    if (!status.error) {
      this.lastShownError = undefined;
      return;
    }
    const key = `${status.error.code}\n${status.error.message}`;
    if (wasLoading || key !== this.lastShownError) {
      this.lastShownError = key;
      this.showError(this.loadingDir ?? this.expectedDir(), status.error.message, status.model !== undefined);
    }
  }

  lifecycle(lifecycle: SidecarLifecycle): void {
    if (lifecycle === 'running') return;
    this.stopProgress();
    this.lastShownError = undefined;
  }

  private startProgress(dir: string): void {
    const done = new Promise<void>((resolve) => (this.endProgress = resolve));
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Inkwell: loading model "${basename(dir)}"…`, cancellable: false },
      () => done,
    );
  }

  private stopProgress(): void {
    this.endProgress?.();
    this.endProgress = undefined;
  }

  private showError(dir: string, reason: string, stillServing: boolean): void {
    const kept = stillServing ? ' The previous model keeps serving.' : '';
    void vscode.window
      .showErrorMessage(`Inkwell could not load the model folder "${basename(dir)}" (${dir}): ${reason}.${kept}`, 'Select Model Folder', 'Show Logs')
      .then((choice) => {
        if (choice === 'Show Logs') this.actions.showLogs();
        if (choice === 'Select Model Folder') this.actions.selectModelFolder();
      });
  }

  dispose(): void {
    this.stopProgress();
  }
}
