import * as vscode from 'vscode';
import type { DetectWatermarkResult, WatermarkTokenStatus } from '../../sidecar/protocol';

type TokenSpan = DetectWatermarkResult['tokens'][number];

/** What a caller (the command's result, the in-host tests) may read of the current highlights. */
export interface WatermarkHighlightsView {
  /** The highlighted document, undefined once cleared. */
  readonly document: vscode.Uri | undefined;
  /** Decorated ranges per colour (0 and 0 once cleared). */
  readonly counts: { readonly green: number; readonly red: number };
}

interface Shown {
  readonly document: vscode.TextDocument;
  /** Document offset of the text's first character (the selection's start). */
  readonly baseOffset: number;
  /** Sorted by start, non-overlapping: what the hover looks up. */
  readonly tokens: readonly TokenSpan[];
  readonly green: readonly vscode.Range[];
  readonly red: readonly vscode.Range[];
}

const statusLines: Record<WatermarkTokenStatus, string> = {
  green: '**green**: scored, in the green list of its context',
  red: '**red**: scored, not in the green list of its context',
  unscored: 'skipped: one of the first tokens, without a full context before it',
  repeated: 'skipped: repeats an n-gram already scored (each counts once)',
};

/**
 * Owns the two decoration types and the one set of watermark highlights shown at a time. The
 * ranges are built in one pass and set with one call per colour, so 100,000 characters cost two
 * messages to the renderer. Cleared by clear(), by any edit of the document, or by the next
 * detection; re-applied when the document's editor is shown again (VS Code drops decorations
 * with the editor). A hover on a token of the highlighted text tells its status.
 */
export class WatermarkHighlights implements vscode.Disposable, WatermarkHighlightsView {
  private readonly greenType = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly redType = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subscriptions: vscode.Disposable[];
  private shown: Shown | undefined;

  constructor() {
    this.subscriptions = [
      this.greenType,
      this.redType,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.shown?.document && e.contentChanges.length > 0) this.clear();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.shown?.document) this.clear();
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.apply(editor);
      }),
      vscode.languages.registerHoverProvider('*', { provideHover: (document, position) => this.hover(document, position) }),
    ];
  }

  get document(): vscode.Uri | undefined {
    return this.shown?.document.uri;
  }

  get counts(): { readonly green: number; readonly red: number } {
    return { green: this.shown?.green.length ?? 0, red: this.shown?.red.length ?? 0 };
  }

  /**
   * Replaces whatever is shown with the green and red tokens of `result`, whose text starts at
   * `baseOffset`. Disposing the returned handle clears them unless a later show() replaced them.
   */
  show(editor: vscode.TextEditor, baseOffset: number, result: DetectWatermarkResult): vscode.Disposable {
    this.clear();
    const { document } = editor;
    const green: vscode.Range[] = [];
    const red: vscode.Range[] = [];
    for (const token of result.tokens) {
      if (token.status !== 'green' && token.status !== 'red') continue;
      const range = new vscode.Range(document.positionAt(baseOffset + token.start), document.positionAt(baseOffset + token.end));
      (token.status === 'green' ? green : red).push(range);
    }
    const shown: Shown = { document, baseOffset, tokens: result.tokens, green, red };
    this.shown = shown;
    for (const visible of vscode.window.visibleTextEditors) this.apply(visible);
    if (!vscode.window.visibleTextEditors.includes(editor)) this.apply(editor);
    return {
      dispose: () => {
        if (this.shown === shown) this.clear();
      },
    };
  }

  clear(): void {
    if (this.shown === undefined) return;
    const { document } = this.shown;
    this.shown = undefined;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === document) {
        editor.setDecorations(this.greenType, []);
        editor.setDecorations(this.redType, []);
      }
    }
  }

  dispose(): void {
    this.shown = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private apply(editor: vscode.TextEditor): void {
    if (this.shown === undefined || editor.document !== this.shown.document) return;
    editor.setDecorations(this.greenType, this.shown.green as vscode.Range[]);
    editor.setDecorations(this.redType, this.shown.red as vscode.Range[]);
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const shown = this.shown;
    if (shown === undefined || document !== shown.document) return undefined;
    const offset = document.offsetAt(position) - shown.baseOffset;
    const token = tokenAt(shown.tokens, offset);
    if (token === undefined) return undefined;
    const range = new vscode.Range(document.positionAt(shown.baseOffset + token.start), document.positionAt(shown.baseOffset + token.end));
    const message = new vscode.MarkdownString('Inkwell watermark: token ');
    // JSON quoting shows whitespace and control characters, which are tokens too.
    message.appendText(JSON.stringify(document.getText(range)));
    message.appendMarkdown(` is ${statusLines[token.status]}`);
    return new vscode.Hover(message, range);
  }
}

/** The token whose [start, end) holds `offset` (binary search; tokens are sorted and disjoint). */
function tokenAt(tokens: readonly TokenSpan[], offset: number): TokenSpan | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const token = tokens[mid]!;
    if (offset < token.start) hi = mid - 1;
    else if (offset >= token.end) lo = mid + 1;
    else return token;
  }
  return undefined;
}
