import type { CliOutput } from '../CliOutput';
import type { SweepRow } from './SweepRow';

/** Output text longer than this is cut (escaped first, so a row stays one line). */
const SHOWN_CHARS = 100;

/**
 * The text table of a sweep: one line per run, `column` naming what varies. The score column
 * appears when `scores` is set (strategy sweeps always; value sweeps when a row has one).
 */
export function printSweepTable(io: CliOutput, column: string, rows: readonly { label: string; row: SweepRow }[], scores: boolean): void {
  const width = Math.max(column.length, ...rows.map((r) => r.label.length));
  io.out(`${column.padEnd(width)}  tokens  tok/s   finish       ${scores ? 'score     ' : ''}output\n`);
  for (const { label, row } of rows) {
    if ('error' in row) {
      io.out(`${label.padEnd(width)}  error: ${row.error.message}\n`);
      continue;
    }
    const shown = JSON.stringify(row.text).slice(1, -1);
    const score = scores ? `${row.sequenceScore === null ? '' : row.sequenceScore.toFixed(4)}`.padStart(8) + '  ' : '';
    io.out(
      `${label.padEnd(width)}  ${String(row.tokens).padStart(6)}  ${row.tokensPerSecond.toFixed(0).padStart(5)}   ${row.finishReason.padEnd(11)}  ${score}${shown.length > SHOWN_CHARS ? `${shown.slice(0, SHOWN_CHARS - 1)}…` : shown}\n`,
    );
  }
}
