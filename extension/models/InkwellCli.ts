import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type * as vscode from 'vscode';
import { DownloadEventSchema, type DownloadEvent } from '../../sidecar/protocol';

export interface CliRun {
  /** Exit code (130: cancelled). */
  readonly code: number | null;
  /** The last lines of stderr, for an error message when stdout said nothing useful. */
  readonly stderrTail: string;
}

/**
 * Runs the bundled CLI (dist/inkwell.js, the sidecar's own bundle) as a child process, the way
 * the sidecar itself runs: the extension host's executable as Node. Downloads run here, not in the
 * sidecar: the sidecar keeps serving completions on its own event loop and worker, a download's
 * network and disk work never competes with a request there, and cancelling is ending a process
 * (SIGINT: the CLI aborts, reports `cancelled` and keeps the partial file for the next run).
 */
export class InkwellCli {
  constructor(private readonly module: string) {}

  /**
   * `inkwell ARGS` with `--json` output read line by line as DownloadEvents (lines that are not
   * one are ignored). A cancellation token sends SIGINT, and SIGKILL if the CLI has not exited 5 s later.
   */
  run(args: readonly string[], onEvent: (event: DownloadEvent) => void, token?: vscode.CancellationToken): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const { child, stderrTail } = this.start(args);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          return;
        }
        const event = DownloadEventSchema.safeParse(parsed);
        if (event.success) onEvent(event.data);
      });
      let killTimer: NodeJS.Timeout | undefined;
      const cancel = token?.onCancellationRequested(() => {
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      });
      child.on('error', (error) => {
        cancel?.dispose();
        reject(error);
      });
      child.on('close', (code) => {
        cancel?.dispose();
        if (killTimer) clearTimeout(killTimer);
        resolve({ code, stderrTail: stderrTail() });
      });
    });
  }

  /** `inkwell ARGS` printing one JSON document on stdout (e.g. `models --json`). */
  runJson(args: readonly string[]): Promise<{ code: number | null; json: unknown; stderrTail: string }> {
    return new Promise((resolve, reject) => {
      const { child, stderrTail } = this.start(args);
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        let json: unknown;
        try {
          json = JSON.parse(out);
        } catch {
          json = undefined;
        }
        resolve({ code, json, stderrTail: stderrTail() });
      });
    });
  }

  /** The CLI as a child process (the extension host's executable as Node), keeping the end of its stderr. */
  private start(args: readonly string[]): { child: ChildProcess; stderrTail: () => string } {
    const child = fork(this.module, [...args], { silent: true, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    return { child, stderrTail: () => stderr.trim().split('\n').slice(-3).join('\n') };
  }
}
