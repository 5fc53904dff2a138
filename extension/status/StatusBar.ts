import * as vscode from 'vscode';
import type { StatusInfo } from '../../sidecar/protocol';
import { formatStatusBar, type SidecarLifecycle } from './formatStatusBar';

/** The "Inkwell: …" status bar item; a click opens the panel. */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private lifecycle: SidecarLifecycle = 'starting';
  private status: StatusInfo | undefined;

  constructor(
    private completionsEnabled: boolean,
    openPanelCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem('inkwell.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Inkwell';
    this.item.command = openPanelCommand;
    this.render();
    this.item.show();
  }

  setLifecycle(lifecycle: SidecarLifecycle): void {
    this.lifecycle = lifecycle;
    // A new process has not said anything yet: the old status is stale.
    if (lifecycle !== 'running') this.status = undefined;
    this.render();
  }

  setStatus(status: StatusInfo): void {
    this.status = status;
    this.render();
  }

  setCompletionsEnabled(enabled: boolean): void {
    this.completionsEnabled = enabled;
    this.render();
  }

  private render(): void {
    const view = formatStatusBar({ lifecycle: this.lifecycle, status: this.status, completionsEnabled: this.completionsEnabled });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
