import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { descendants, isAlive, processGroup, signal } from './processTree';
import { writeUserSettings } from './userSettings';
import { withTimeout } from './withTimeout';

export const repoRoot = join(__dirname, '..', '..', '..');
export const e2eCacheDir = join(repoRoot, 'test', '.cache', 'e2e');
/** The sample folder the workbench opens. */
export const e2eWorkspace = join(repoRoot, 'test', 'e2e', 'workspace');
const entry = join(repoRoot, 'test', 'tools', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerOptions {
  /** Names the run's folder under test/.cache/e2e/. */
  readonly name: string;
  /** Merged over the base settings into User/settings.json before the server starts. */
  readonly settings?: Record<string, unknown>;
  /** A packaged extension to install into the run's extensions folder. */
  readonly vsix?: string;
  /** Loads the extension from this folder instead (see workbenchUrl). */
  readonly extensionDevelopmentPath?: string;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: Record<string, string>;
}

export interface WorkbenchUrlOptions {
  /** The compiled mocha entry whose run() the extension host executes, then exits. */
  readonly extensionTestsPath?: string;
}

const startTimeoutMs = 30_000;
const installTimeoutMs = 60_000;
const stopGraceMs = 5_000;

/**
 * One code-server (VS Code's server and web workbench) in a folder of its own under
 * test/.cache/e2e/: user data, extensions, TMPDIR and the server's log all live there.
 * Recipe: shared/docs/vscode-e2e.md.
 */
export class CodeServer {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  readonly settingsPath: string;
  /** A folder in /tmp holding `t`, the server's TMPDIR: a short link to root/tmp (see prepare()). */
  private tmpLinkParent: string | undefined;
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private portNumber: number | undefined;

  private constructor(private readonly options: CodeServerOptions) {
    const run = `${options.name}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    this.root = join(e2eCacheDir, 'runs', run);
    this.userDataDir = join(this.root, 'data');
    this.extensionsDir = join(this.root, 'extensions');
    this.logFile = join(this.root, 'code-server.log');
    this.settingsPath = join(this.userDataDir, 'User', 'settings.json');
  }

  /** Prepares the folder, installs the vsix if any, starts the server and waits for /healthz. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    if (!existsSync(entry)) {
      throw new Error(`code-server is not installed at ${entry}: run \`node test/e2e/setup.mjs\` first`);
    }
    const server = new CodeServer(options);
    try {
      server.prepare();
      if (options.vsix !== undefined) await server.installExtension(options.vsix);
      await server.spawn();
    } catch (error) {
      await server.stop();
      throw new Error(`code-server did not start (log: ${server.logFile})`, { cause: error });
    }
    return server;
  }

  get port(): number {
    if (this.portNumber === undefined) throw new Error('code-server has not started');
    return this.portNumber;
  }

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('code-server has not started');
    return this.child.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The workbench for `folder`, with the development extension and a test entry when given. */
  workbenchUrl(folder: string, options: WorkbenchUrlOptions = {}): string {
    const remote = (path: string) => `vscode-remote://127.0.0.1:${this.port}${path}`;
    const payload: [string, string][] = [];
    if (this.options.extensionDevelopmentPath !== undefined) {
      payload.push(['extensionDevelopmentPath', remote(this.options.extensionDevelopmentPath)]);
    }
    if (options.extensionTestsPath !== undefined) {
      payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
    }
    const query = new URLSearchParams({ folder });
    if (payload.length > 0) query.set('payload', JSON.stringify(payload));
    return `${this.baseUrl}/?${query}`;
  }

  /** User/settings.json as it is on disk now (VS Code rewrites it when a setting changes). */
  readSettings(): Record<string, unknown> {
    return JSON.parse(readFileSync(this.settingsPath, 'utf8')) as Record<string, unknown>;
  }

  /** The server's log, for failure messages. */
  readLog(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /**
   * SIGTERM to the server and every process under it, SIGKILL to whatever still runs 5 s later.
   * The server leads its own process group, so a process spawned while it shut down (an extension
   * restarting its sidecar) and re-parented to init is still found, by its group, in /proc.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined) {
      const root = child.pid;
      const members = () => [...new Set([root, ...descendants(root).map((p) => p.pid), ...processGroup(root).map((p) => p.pid)])].filter(isAlive);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        for (const pid of members()) signal(pid, 'SIGTERM');
        await withTimeout(exited, stopGraceMs, 'code-server to exit after SIGTERM').catch(() => undefined);
      }
      await waitUntilGone(members, stopGraceMs);
      // A round of SIGKILL can meet a process spawned just before it: repeat while any is left.
      for (let round = 0; round < 3; round++) {
        const left = members();
        if (left.length === 0) break;
        for (const pid of left) signal(pid, 'SIGKILL');
        await waitUntilGone(() => left.filter(isAlive), 1_000);
      }
      process.removeListener('exit', this.killOnExit);
    }
    this.child = undefined;
    if (this.tmpLinkParent !== undefined) {
      rmSync(this.tmpLinkParent, { recursive: true, force: true }); // the link, not its target
      this.tmpLinkParent = undefined;
    }
    if (this.log !== undefined) {
      const closed = once(this.log, 'close');
      this.log.end();
      await closed;
      this.log = undefined;
    }
  }

  /** Deletes the run's folder (call after stop(), when nothing in it is needed any more). */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private prepare(): void {
    for (const dir of [this.extensionsDir, join(this.root, 'tmp')]) mkdirSync(dir, { recursive: true });
    writeUserSettings(this.userDataDir, this.options.settings);
    // Written by us, so code-server never writes a default one with a generated password.
    writeFileSync(join(this.root, 'config.yaml'), 'auth: none\ncert: false\n');
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    // VS Code binds IPC sockets in TMPDIR, and a socket path must stay under 108 bytes, which a
    // deep checkout breaks; so TMPDIR is a short link whose target lies inside the run's folder.
    this.tmpLinkParent = mkdtempSync('/tmp/inkwell-e2e-');
    symlinkSync(join(this.root, 'tmp'), join(this.tmpLinkParent, 't'));
  }

  private get dirArgs(): string[] {
    return [
      '--config', join(this.root, 'config.yaml'),
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', this.extensionsDir,
    ];
  }

  private get env(): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(
      // A terminal inside VS Code passes its own IPC hooks; they must not reach this server.
      Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE'),
    );
    return {
      ...inherited,
      EXTENSIONS_GALLERY: '{}', // else the server keeps calling the marketplace
      // Else it leaves IPC sockets in /tmp. Defined once prepare() ran, which precedes every use.
      TMPDIR: join(this.tmpLinkParent!, 't'),
      XDG_CONFIG_HOME: join(this.root, 'xdg', 'config'),
      XDG_DATA_HOME: join(this.root, 'xdg', 'data'),
      XDG_CACHE_HOME: join(this.root, 'xdg', 'cache'),
      ...this.options.env,
    };
  }

  private async installExtension(vsix: string): Promise<void> {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [entry, ...this.dirArgs, '--install-extension', vsix],
      { env: this.env, timeout: installTimeoutMs },
    );
    this.writeLog(`$ code-server --install-extension ${vsix}\n${stdout}${stderr}\n`);
  }

  /** If the test process ends without stop() (a crash), its server must not outlive it. */
  private readonly killOnExit = (): void => {
    if (this.child?.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
  };

  private writeLog(chunk: Buffer | string): void {
    // Output can still arrive after stop() closed the log: the pipes drain after the exit.
    if (this.log !== undefined && !this.log.writableEnded) this.log.write(chunk);
  }

  private async spawn(): Promise<void> {
    this.portNumber = await freePort();
    const args = [
      entry,
      ...this.dirArgs,
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ];
    // detached: the server leads a process group of its own, which stop() sweeps.
    const child = spawn(process.execPath, args, { cwd: this.root, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    process.once('exit', this.killOnExit);
    const listening = new Promise<void>((resolve, reject) => {
      const marker = `HTTP server listening on ${this.baseUrl}`;
      let seen = '';
      const onData = (chunk: Buffer) => {
        this.writeLog(chunk);
        if (seen !== marker) {
          seen = (seen + chunk.toString()).slice(-4096);
          if (seen.includes(marker)) {
            seen = marker;
            resolve();
          }
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, sig) => reject(new Error(`code-server exited (code ${code}, signal ${sig}) before listening`)));
    });
    await withTimeout(listening, startTimeoutMs, `code-server to listen on ${this.baseUrl}`);
    const health = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(startTimeoutMs) });
    if (!health.ok) throw new Error(`${this.baseUrl}/healthz answered ${health.status}`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the kernel');
  return address.port;
}

/**
 * Processes that are not our children signal no exit event, so this checks /proc every 50 ms
 * until `alive()` is empty, for at most `timeoutMs`.
 */
async function waitUntilGone(alive: () => number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
