import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type RequestParam,
  type RequestType,
  type RequestType0,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { InkwellNotifications, InkwellRequests, type GenerateProgress, type InitializationOptions, type StatusInfo } from '../../sidecar/protocol';
import type { SidecarLifecycle } from '../status/formatStatusBar';
import type { CrashPolicy } from './CrashPolicy';

export interface SidecarClientOptions {
  /** dist/inkwell.js inside the installed extension. */
  readonly serverModule: string;
  readonly outputChannel: vscode.LogOutputChannel;
  /** Read at every (re)start, so a restarted sidecar starts from the current settings. */
  readonly initializationOptions: () => InitializationOptions;
  readonly middleware: Middleware;
  readonly crashPolicy: CrashPolicy;
}

/** A request made while the sidecar is not running and will not be soon. */
export class SidecarNotRunningError extends Error {
  override readonly name = 'SidecarNotRunningError';
  constructor(readonly lifecycle: SidecarLifecycle) {
    super(lifecycle === 'failed' ? 'The Inkwell sidecar keeps crashing and was stopped. Run "Inkwell: Restart Sidecar".' : 'The Inkwell sidecar is not running.');
  }
}

/**
 * Owns the sidecar process through one LanguageClient per run: a crash (the connection closing
 * without our asking) is restarted after the CrashPolicy's backoff by a fresh client, or given up
 * on. Listeners of onStatus/onGenerateProgress/onLifecycle stay registered across runs, and
 * requests made while (re)starting wait for the next run.
 *
 * The server runs with VS Code's own Node: a `module` ServerOptions is started with
 * child_process.fork, i.e. the extension host's executable (ELECTRON_RUN_AS_NODE=1) — no Node on
 * the PATH is needed. TransportKind.stdio appends `--stdio --clientProcessId=<pid>`.
 */
export class SidecarClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private lifecycleValue: SidecarLifecycle = 'stopped';
  private restartTimer: NodeJS.Timeout | undefined;
  private running: Promise<LanguageClient> | undefined;
  private resolveRunning: ((client: LanguageClient) => void) | undefined;
  private rejectRunning: ((error: Error) => void) | undefined;
  private disposed = false;
  private readonly statusEmitter = new vscode.EventEmitter<StatusInfo>();
  private readonly progressEmitter = new vscode.EventEmitter<GenerateProgress>();
  private readonly lifecycleEmitter = new vscode.EventEmitter<SidecarLifecycle>();
  private readonly gaveUpEmitter = new vscode.EventEmitter<void>();

  readonly onStatus = this.statusEmitter.event;
  readonly onGenerateProgress = this.progressEmitter.event;
  readonly onLifecycle = this.lifecycleEmitter.event;
  /** Fired when the CrashPolicy gives up (too many crashes in a row). */
  readonly onGaveUp = this.gaveUpEmitter.event;

  constructor(private readonly options: SidecarClientOptions) {}

  get lifecycle(): SidecarLifecycle {
    return this.lifecycleValue;
  }

  /** Starts the first run. Failures to start are logged; the crash policy handles them. */
  start(): void {
    this.launch('starting');
  }

  /** Always restarts (also after the policy gave up) and forgets earlier crashes. */
  async restart(): Promise<void> {
    this.options.crashPolicy.reset();
    this.clearRestartTimer();
    this.expectRun();
    this.setLifecycle('restarting');
    await this.stopClient();
    this.launch('restarting');
  }

  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  sendRequest<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R>;
  async sendRequest<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, paramsOrToken?: P | vscode.CancellationToken, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.whenRunning();
    if (type.numberOfParams === 0) return client.sendRequest(type as RequestType0<R, void>, paramsOrToken as vscode.CancellationToken | undefined);
    return client.sendRequest(type as RequestType<P, R, void>, paramsOrToken as RequestParam<P>, token);
  }

  /** The running client; waits while starting or restarting, rejects when stopped or given up. */
  whenRunning(): Promise<LanguageClient> {
    if (this.lifecycleValue === 'running' && this.client) return Promise.resolve(this.client);
    if (this.running && (this.lifecycleValue === 'starting' || this.lifecycleValue === 'restarting')) return this.running;
    return Promise.reject(new SidecarNotRunningError(this.lifecycleValue));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.clearRestartTimer();
    this.setLifecycle('stopped');
    this.rejectRunning?.(new SidecarNotRunningError('stopped'));
    this.running = undefined;
    await this.stopClient();
    for (const emitter of [this.statusEmitter, this.progressEmitter, this.lifecycleEmitter, this.gaveUpEmitter]) emitter.dispose();
  }

  private launch(lifecycle: 'starting' | 'restarting'): void {
    if (this.disposed) return;
    this.expectRun();
    this.setLifecycle(lifecycle);
    const client = this.createClient();
    this.client = client;
    client.start().then(
      () => {
        if (this.client !== client) return;
        this.setLifecycle('running');
        this.resolveRunning?.(client);
        this.running = undefined;
        // The status notification sent on `initialized` may precede our handler: ask once.
        client.sendRequest(InkwellRequests.status).then(
          (status) => this.client === client && this.statusEmitter.fire(status),
          () => undefined,
        );
      },
      (error: unknown) => {
        this.options.outputChannel.error(`The sidecar did not start: ${error instanceof Error ? error.message : String(error)}`);
        // A start that failed without the connection closing (e.g. initialize refused) would
        // otherwise leave requests waiting: it counts as a crash too.
        if (this.client === client && !this.restartTimer && this.lifecycleValue !== 'failed') this.crashed(client);
      },
    );
  }

  private createClient(): LanguageClient {
    const serverOptions: ServerOptions = {
      module: this.options.serverModule,
      args: ['serve'],
      transport: TransportKind.stdio,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      outputChannel: this.options.outputChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => this.options.initializationOptions(),
      middleware: this.options.middleware,
      errorHandler: {
        // A bad message is not a reason to kill the process; a dead process shows up in closed().
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => this.crashed(client),
      },
    };
    const client: LanguageClient = new LanguageClient('inkwell', 'Inkwell', serverOptions, clientOptions);
    client.onNotification(InkwellNotifications.status, (status) => {
      if (this.client === client) this.statusEmitter.fire(status);
    });
    client.onNotification(InkwellNotifications.generateProgress, (progress) => {
      if (this.client === client) this.progressEmitter.fire(progress);
    });
    return client;
  }

  /** The connection closed without stop(): the process exited or was killed. */
  private crashed(client: LanguageClient): { action: CloseAction; handled: boolean; message?: string } {
    // Not ours any more, or already counted (a failed start, then its connection closing).
    if (this.client !== client || this.disposed || this.restartTimer) return { action: CloseAction.DoNotRestart, handled: true };
    const decision = this.options.crashPolicy.crashed();
    if (decision.action === 'give-up') {
      this.setLifecycle('failed');
      this.rejectRunning?.(new SidecarNotRunningError('failed'));
      this.running = undefined;
      this.gaveUpEmitter.fire();
      return {
        action: CloseAction.DoNotRestart,
        handled: true,
        message: `The Inkwell sidecar crashed ${decision.crashesInWindow} times in a few minutes and will not be restarted. Run "Inkwell: Restart Sidecar" to try again.`,
      };
    }
    this.expectRun();
    this.setLifecycle('restarting');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.disposeClient(client).then(() => this.launch('restarting'));
    }, decision.delayMs);
    return {
      action: CloseAction.DoNotRestart,
      handled: true,
      message: `The Inkwell sidecar exited (crash ${decision.crashesInWindow} in the last minutes); restarting in ${decision.delayMs / 1000} s.`,
    };
  }

  /** Requests made from now on wait for the next run instead of failing. */
  private expectRun(): void {
    if (this.running) return;
    this.running = new Promise<LanguageClient>((resolve, reject) => {
      this.resolveRunning = resolve;
      this.rejectRunning = reject;
    });
    this.running.catch(() => undefined); // the requests waiting on it see the rejection
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await this.disposeClient(client);
  }

  private async disposeClient(client: LanguageClient): Promise<void> {
    if (this.client === client) this.client = undefined;
    try {
      // dispose() stops a running client (shutdown + exit, killing it after the timeout).
      await client.dispose(3000);
    } catch (error) {
      this.options.outputChannel.warn(`Stopping the sidecar: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private setLifecycle(lifecycle: SidecarLifecycle): void {
    if (this.lifecycleValue === lifecycle) return;
    this.lifecycleValue = lifecycle;
    this.lifecycleEmitter.fire(lifecycle);
  }
}
