/**
 * Post-processing of a generated completion as an ordered chain of small filters (Tabby-style),
 * plus the incremental test the generator runs on every streamed delta to stop early.
 *
 * The completion's first line continues the cursor's line; each later line is a whole line.
 * Single-line mode: there is non-whitespace text right of the cursor, so only the rest of the
 * cursor's line can be filled. A cursor after text on its line (a statement being written) gets
 * more lines only when the completed line opens a block or goes on (stopAtStatementEnd).
 * Multi-line mode otherwise, stopping at the first of: a line
 * indented below the starting indentation (the cursor line's, or the first generated line's
 * when the cursor line is blank), a blank line followed by a new top-level statement, maxLines.
 *
 * `completionIsDone(t)` is true only when no further text can change the result, so for any t
 * where it holds, `shapeCompletion(t)` equals `shapeCompletion(t + anything)` (a test pins this).
 */
export interface CompletionContext {
  /** Text left of the cursor on its line. */
  readonly linePrefix: string;
  /** Text right of the cursor on its line (no line break). */
  readonly lineSuffix: string;
  /** The document's lines after the cursor's line, without line breaks. */
  readonly linesBelow: readonly string[];
  /** The document's indentation unit ('\t' or some spaces): the width of a tab. */
  readonly indentUnit: string;
  /** The most lines a multi-line completion may have. */
  readonly maxLines: number;
}

/** One step of the chain: the completion reshaped, or undefined to drop it. */
export type CompletionFilter = (text: string, ctx: CompletionContext) => string | undefined;

/** The chain, in order (a test pins it). */
export const completionFilters: readonly (readonly [name: string, filter: CompletionFilter])[] = [
  ['stopAtControlCharacter', stopAtControlCharacter],
  ['singleLine', singleLine],
  ['stopAtStatementEnd', stopAtStatementEnd],
  ['stopAtDedent', stopAtDedent],
  ['stopAtNewTopLevel', stopAtNewTopLevel],
  ['limitLines', limitLines],
  ['stopAtRepetition', stopAtRepetition],
  ['trimTrailingWhitespace', trimTrailingWhitespace],
  ['dropRepeatOfLinesBelow', dropRepeatOfLinesBelow],
  ['dropBlank', dropBlank],
];

/** The final text to show, or undefined when there is nothing worth showing. */
export function shapeCompletion(text: string, ctx: CompletionContext): string | undefined {
  let current: string | undefined = text.replace(/\r\n/g, '\n');
  for (const [, filter] of completionFilters) {
    current = filter(current, ctx);
    if (current === undefined) return undefined;
  }
  return current;
}

/** True once the streamed text has reached a point where generating more cannot change the shape. */
export function completionIsDone(textSoFar: string, ctx: CompletionContext): boolean {
  const text = textSoFar.replace(/\r\n/g, '\n');
  if (CONTROL.test(text)) return true;
  if (isSingleLine(ctx)) return text.includes('\n');
  if (endsStatement(text, ctx)) return true;
  const lines = text.split('\n');
  // lines.length - 1 line breaks: line maxLines (0-based) has started.
  if (lines.length > ctx.maxLines) return true;
  if (dedentLine(lines, ctx) !== undefined) return true;
  if (newTopLevelLine(lines) !== undefined) return true;
  return repetitionStart(text) !== undefined;
}

/** C0/C1 controls other than tab and line breaks, and U+FFFD (a broken UTF-8 sequence). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

/** Source code does not contain raw control characters: a model that emits one has gone astray; keep what came before. */
export function stopAtControlCharacter(text: string): string {
  const at = text.search(CONTROL);
  return at < 0 ? text : text.slice(0, at);
}

function isSingleLine(ctx: CompletionContext): boolean {
  return /\S/.test(ctx.lineSuffix);
}

export function singleLine(text: string, ctx: CompletionContext): string {
  if (!isSingleLine(ctx)) return text;
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

/** A line that opens a block or goes on to the next: `{ ( [ : , => \\` or an operator at its end. */
const OPENS_OR_CONTINUES = /(?:[{([:,\\]|=>|[-+*/%&|^=<>?.])$/;

/**
 * The completion started after text on the cursor's line and its first line is complete and
 * neither opens a block nor goes on — or does, but the block's body is already there (the next
 * line with content is indented deeper than the cursor's): the statement the user was writing
 * ends there.
 */
function endsStatement(text: string, ctx: CompletionContext): boolean {
  if (!/\S/.test(ctx.linePrefix)) return false;
  const end = text.indexOf('\n');
  if (end === -1) return false;
  if (!OPENS_OR_CONTINUES.test((ctx.linePrefix + text.slice(0, end)).trimEnd())) return true;
  const next = ctx.linesBelow.find(hasContent);
  return next !== undefined && indentWidth(next, ctx.indentUnit) > indentWidth(ctx.linePrefix, ctx.indentUnit);
}

/**
 * A cursor after text on its line means a statement is being written: the completion finishes
 * that line, and goes on to more lines only when the line opens a block or continues onto the
 * next (`if (ready) {`, `def f(x):`, `fetch(url, {`) and no body follows it already (the user
 * is rewriting a block's first line). The lines a model adds after a finished
 * statement are guesses at code nobody asked for yet, and with a small model mostly wrong ones (the
 * default model's multi-line completions, models/README.md).
 */
export function stopAtStatementEnd(text: string, ctx: CompletionContext): string {
  return endsStatement(text, ctx) ? text.slice(0, text.indexOf('\n')) : text;
}

/** Columns of leading whitespace; a tab counts as the indentation unit's width (4 for '\t'). */
function indentWidth(line: string, indentUnit: string): number {
  const tab = indentUnit === '\t' || indentUnit.length === 0 ? 4 : indentUnit.length;
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width += tab;
    else break;
  }
  return width;
}

/** A line whose first non-whitespace character has arrived: its indentation is final. */
function hasContent(line: string): boolean {
  return /\S/.test(line);
}

/**
 * Index of the first line (after the first) indented below the starting indentation, or
 * undefined. The starting line is the cursor's line as completed, or, when that is blank, the
 * first generated line with content.
 */
function dedentLine(lines: readonly string[], ctx: CompletionContext): number | undefined {
  let start: number | undefined;
  const first = ctx.linePrefix + (lines[0] ?? '');
  if (hasContent(first)) start = indentWidth(first, ctx.indentUnit);
  for (const [i, line] of lines.entries()) {
    if (i === 0 || !hasContent(line)) continue;
    const width = indentWidth(line, ctx.indentUnit);
    if (start === undefined) start = width;
    else if (width < start) return i;
  }
  return undefined;
}

/** Index of a blank line that a top-level statement (column 0, not a closing bracket) follows. */
function newTopLevelLine(lines: readonly string[]): number | undefined {
  for (const [i, line] of lines.entries()) {
    if (i === 0 || hasContent(line)) continue;
    const next = lines.slice(i + 1).find(hasContent);
    if (next !== undefined && /^[^\s)\]}]/.test(next)) return i;
  }
  return undefined;
}

function cutBeforeLine(lines: readonly string[], index: number | undefined): string {
  return (index === undefined ? lines : lines.slice(0, index)).join('\n');
}

export function stopAtDedent(text: string, ctx: CompletionContext): string {
  const lines = text.split('\n');
  return cutBeforeLine(lines, dedentLine(lines, ctx));
}

export function stopAtNewTopLevel(text: string): string {
  const lines = text.split('\n');
  return cutBeforeLine(lines, newTopLevelLine(lines));
}

export function limitLines(text: string, ctx: CompletionContext): string {
  return cutBeforeLine(text.split('\n'), ctx.maxLines);
}

/** A loop: this many back-to-back copies of one unit (2–16 characters). */
const LOOP_COPIES = 4;
const LOOP_UNIT_MAX = 16;
/** A repeated line counts when it has at least this many non-space characters. */
const LOOP_LINE_MIN = 6;

/**
 * Where a degenerate loop starts, or undefined: a unit of 2–16 characters with at least two
 * distinct characters, one a letter or digit, repeated LOOP_COPIES times back to back
 * (`common/common/common/common/`); or a line of LOOP_LINE_MIN+ non-space characters whose next
 * line is the same (then the loop starts at that second copy). The second copy must be ended by
 * a line break, so text that streams on can never undo a loop found earlier.
 */
function repetitionStart(text: string): number | undefined {
  let lineStart = 0;
  let previous: string | undefined;
  for (;;) {
    const end = text.indexOf('\n', lineStart);
    if (end === -1) break;
    const line = text.slice(lineStart, end).trim();
    if (previous !== undefined && line === previous && line.replace(/\s/g, '').length >= LOOP_LINE_MIN) return unitLoopBefore(text, lineStart) ?? lineStart;
    previous = line;
    lineStart = end + 1;
  }
  return unitLoopBefore(text, text.length);
}

/** The first start of a unit loop that begins before `limit`. */
function unitLoopBefore(text: string, limit: number): number | undefined {
  for (let i = 0; i < limit; i++) {
    for (let len = 2; len <= LOOP_UNIT_MAX && i + LOOP_COPIES * len <= text.length; len++) {
      // The cheap test first: this runs on every streamed delta (completionIsDone).
      if (text.charCodeAt(i) !== text.charCodeAt(i + len)) continue;
      const unit = text.slice(i, i + len);
      let copies = 1;
      while (copies < LOOP_COPIES && text.startsWith(unit, i + copies * len)) copies++;
      if (copies === LOOP_COPIES && /[\p{L}\p{N}]/u.test(unit) && new Set(unit).size >= 2) return i;
    }
  }
  return undefined;
}

/**
 * Small models under greedy decoding fall into loops (the same path segment or line again and
 * again until the token limit): show only what came before the loop (Tabby's post-processing
 * drops repetitive lines and blocks for the same reason). A false alarm costs a shorter
 * suggestion; 4 back-to-back copies of one unit are rare in real code (byte tables are the known case).
 */
export function stopAtRepetition(text: string): string {
  const at = repetitionStart(text);
  return at === undefined ? text : text.slice(0, at);
}

export function trimTrailingWhitespace(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

/**
 * Drops a completion whose lines only repeat the lines already below the cursor (trimmed, blank
 * lines ignored). A first line that continues non-blank text on the cursor's line is new text.
 */
export function dropRepeatOfLinesBelow(text: string, ctx: CompletionContext): string | undefined {
  const lines = text.split('\n');
  if (hasContent(ctx.linePrefix) && hasContent(lines[0] ?? '')) return text;
  const generated = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  const below = ctx.linesBelow.map((l) => l.trim()).filter((l) => l.length > 0);
  if (generated.length === 0 || generated.length > below.length) return text;
  return generated.every((line, i) => line === below[i]) ? undefined : text;
}

export function dropBlank(text: string): string | undefined {
  return hasContent(text) ? text : undefined;
}
