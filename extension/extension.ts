import type * as vscode from 'vscode';

/** Placeholder until the extension lands (issue 3). */
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
