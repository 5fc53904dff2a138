import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { InkwellNotifications, type InitializationOptions, type StatusInfo } from '../../sidecar/protocol';

const cli = join(__dirname, '..', '..', 'dist', 'inkwell.js');

/**
 * The built sidecar (`node dist/inkwell.js serve --stdio`) as a real child process, with a
 * JSON-RPC connection over its stdin/stdout, as an editor would talk to it.
 */
export class SidecarProcess {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  /** window/logMessage notifications: type 1 error, 2 warning, 3 info, 4 log (LSP MessageType). */
  readonly logMessages: { type: number; message: string }[] = [];
  private readonly statusListeners = new Set<(s: StatusInfo) => void>();
  lastStatus: StatusInfo | undefined;
  exited: Promise<number | null>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.connection.onNotification(InkwellNotifications.status, (s) => {
      this.lastStatus = s;
      for (const listener of this.statusListeners) listener(s);
    });
    this.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => void this.logMessages.push(m));
    this.connection.listen();
  }

  /**
   * `processId` is what initialize tells the server about its client (default: this process;
   * null: none to watch).
   */
  static async start(options: { args?: string[]; init?: InitializationOptions; env?: NodeJS.ProcessEnv; processId?: number | null } = {}): Promise<SidecarProcess> {
    assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
    const child = spawn(process.execPath, [cli, 'serve', '--stdio', ...(options.args ?? [])], { stdio: 'pipe', env: { ...process.env, ...options.env } });
    const sidecar = new SidecarProcess(child);
    await sidecar.connection.sendRequest('initialize', {
      processId: options.processId === undefined ? process.pid : options.processId,
      rootUri: null,
      capabilities: {},
      initializationOptions: options.init ?? {},
    });
    await sidecar.connection.sendNotification('initialized', {});
    return sidecar;
  }

  /** Resolves with the first status (already received or coming) that satisfies `predicate`. */
  waitForStatus(predicate: (s: StatusInfo) => boolean, what: string, timeoutMs = 60_000): Promise<StatusInfo> {
    if (this.lastStatus && predicate(this.lastStatus)) return Promise.resolve(this.lastStatus);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.statusListeners.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for status: ${what}; last status ${JSON.stringify(this.lastStatus)}; stderr:\n${this.stderr.join('')}`));
      }, timeoutMs);
      const listener = (s: StatusInfo) => {
        if (!predicate(s)) return;
        clearTimeout(timer);
        this.statusListeners.delete(listener);
        resolve(s);
      };
      this.statusListeners.add(listener);
    });
  }

  /**
   * The exit code, once the process has exited. `hangAfterMs` only detects a sidecar that never
   * exits (the test fails with its stderr); it is not a timing requirement.
   */
  exitCode(hangAfterMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the sidecar was still running after ${hangAfterMs} ms; stderr:\n${this.stderr.join('')}`)), hangAfterMs);
    });
    return Promise.race([this.exited, hang]).finally(() => clearTimeout(timer));
  }

  openDocument(uri: string, text: string, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  private versions = new Map<string, number>();

  /** Replaces the whole text (a full-document change event). */
  changeDocument(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    this.connection.dispose();
  }
}
