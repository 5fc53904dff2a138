import * as vscode from 'vscode';
import { InkwellRequests, type DetectWatermarkResult } from '../../sidecar/protocol';
import { describeSidecarError, isCancellation } from '../sidecar/describeSidecarError';
import type { SidecarClient } from '../sidecar/SidecarClient';
import { whenModelSettled } from '../sidecar/whenModelSettled';
import { formatWatermarkResult } from './formatWatermarkResult';
import type { WatermarkHighlights, WatermarkHighlightsView } from './WatermarkHighlights';

/** What `inkwell.detectWatermark` resolves to (undefined when nothing was detected). */
export interface WatermarkDetection {
  readonly result: DetectWatermarkResult;
  /** Document offset of the scored text's first character. */
  readonly baseOffset: number;
  /** Live, read-only: the highlights as they are now (cleared by an edit or the Clear action). */
  readonly highlights: WatermarkHighlightsView;
}

/** Optional argument of the command for programmatic callers (the palette passes none). */
export interface DetectWatermarkOptions {
  /** false: every repeat of an n-gram is scored again (the sidecar's default is true). */
  readonly ignoreRepeatedNgrams?: boolean;
}

/** The command's argument, which comes untyped from executeCommand. */
export function toDetectWatermarkOptions(arg: unknown): DetectWatermarkOptions {
  const value = (arg as { ignoreRepeatedNgrams?: unknown } | undefined)?.ignoreRepeatedNgrams;
  return typeof value === 'boolean' ? { ignoreRepeatedNgrams: value } : {};
}

export interface DetectWatermarkDeps {
  readonly sidecar: SidecarClient;
  readonly highlights: WatermarkHighlights;
  readonly outputChannel: vscode.OutputChannel;
}

/**
 * "Inkwell: Detect Watermark": scores the active editor's selection (the whole document when it
 * is empty) in the sidecar, reports the verdict and colours the scored tokens. The scoring runs
 * in the sidecar; here it is one request and one pass over the spans.
 */
export async function detectWatermarkCommand(
  { sidecar, highlights, outputChannel }: DetectWatermarkDeps,
  options: DetectWatermarkOptions = {},
): Promise<WatermarkDetection | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage('Inkwell: open an editor (and select text) to detect a watermark.');
    return undefined;
  }
  const { document, selection } = editor;
  const range = selection.isEmpty ? undefined : new vscode.Range(selection.start, selection.end);
  const baseOffset = range === undefined ? 0 : document.offsetAt(range.start);
  const text = document.getText(range);
  const version = document.version;
  const where = `${vscode.workspace.asRelativePath(document.uri)}${range === undefined ? '' : ` (lines ${range.start.line + 1}–${range.end.line + 1})`}`;

  let result: DetectWatermarkResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Inkwell: detecting a watermark in ${text.length.toLocaleString('en-US')} characters…`, cancellable: true },
      async (_progress, token) => {
        // Right after activation the model may still be loading; its tokenizer is what scores.
        await whenModelSettled(sidecar, token);
        return sidecar.sendRequest(InkwellRequests.detectWatermark, { text, ...options }, token);
      },
    );
  } catch (error) {
    if (!isCancellation(error)) void vscode.window.showErrorMessage(`Inkwell: watermark detection failed: ${describeSidecarError(error)}`);
    return undefined;
  }
  if (document.version !== version) {
    void vscode.window.showWarningMessage('Inkwell: the document changed during watermark detection; run "Inkwell: Detect Watermark" again.');
    return undefined;
  }

  const report = formatWatermarkResult(result, where);
  for (const line of report.details) outputChannel.appendLine(line);
  const shown = highlights.show(editor, baseOffset, result);
  void vscode.window.showInformationMessage(report.summary, 'Clear', 'Details').then((choice) => {
    if (choice === 'Clear') shown.dispose();
    if (choice === 'Details') outputChannel.show(true);
  });
  return { result, baseOffset, highlights };
}
