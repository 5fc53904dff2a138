import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createConnection, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { initializationOptionsSchema, InkwellNotifications, type InitializationOptions } from '../protocol';
import { CompletionStats } from './CompletionStats';
import { ConfigStore } from './ConfigStore';
import { CompletionFeature } from './features/CompletionFeature';
import { ConfigFeature } from './features/ConfigFeature';
import { DistributionFeature } from './features/DistributionFeature';
import { WatermarkFeature } from './features/WatermarkFeature';
import { GenerateFeature } from './features/GenerateFeature';
import { ModelFeature } from './features/ModelFeature';
import { loadInWorker, ModelHost, type LoadFunction, type LoadRequest } from './ModelHost';
import type { ServerLog } from './ServerLog';
import { StatusReporter } from './StatusReporter';
import { routesOn, type Feature } from './Feature';

export interface ServerOptions {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  /** A model to load at start (the CLI's --model); initializationOptions.modelDir wins over it. */
  readonly modelDir?: string;
  /** An assistant (draft) model for speculative decoding of completions (the CLI's --assistant). */
  readonly assistantDir?: string;
  readonly device?: LoadRequest['device'];
  readonly dtype?: LoadRequest['dtype'];
  /** For tests: how models are loaded. */
  readonly load?: LoadFunction;
  /** Keep each document's KV cache between completions (default true; off for benchmarks). */
  readonly promptCache?: boolean;
}

/**
 * The sidecar's composition root: one connection, one model host, one feature object per
 * request family. Every handler goes through `guard`, the single place where failures become
 * JSON-RPC errors, so no request can take the process down.
 */
export function createServer(options: ServerOptions): { connection: Connection; dispose: () => Promise<void> } {
  const connection = createConnection(options.reader, options.writer);
  // Once the client is gone, vscode-jsonrpc throws (synchronously) on every send: work that
  // finishes after that (a model load, a completion, the status timer) must not die of it.
  const notify = (send: () => Promise<void>) => {
    try {
      void send().catch(() => undefined);
    } catch {
      // the connection is closed: there is no one to tell
    }
  };
  // Lines go to the client as window/logMessage at their level (VS Code's output channel shows
  // [info], [warning], [error]). Not to stderr as well: a language client shows a server's stderr
  // as errors, so every normal line used to read as one. stderr gets a line only when the
  // connection cannot carry it any more.
  const log: ServerLog = (line, level = 'info') => {
    try {
      connection.console[level](line);
    } catch {
      process.stderr.write(`[inkwell] ${level === 'info' ? '' : `${level}: `}${line}\n`);
    }
  };
  const documents = new TextDocuments(TextDocument);
  const stats = new CompletionStats();
  // eslint-disable-next-line prefer-const -- the model host's callback below reads it before it is assigned
  let status: StatusReporter | undefined;
  const host = new ModelHost(options.load ?? loadInWorker, () => status?.changed(), log);
  status = new StatusReporter(host, stats, (s) => notify(() => connection.sendNotification(InkwellNotifications.status, s)));
  const reporter = status;
  const config = new ConfigStore();
  const configFeature = new ConfigFeature(config, () => reporter.changed());
  const generateFeature = new GenerateFeature(
    host,
    config,
    (p) => notify(() => connection.sendNotification(InkwellNotifications.generateProgress, p)),
    (tps) => reporter.recordTokensPerSecond(tps),
  );
  const distribution = new DistributionFeature(host, config);
  const watermark = new WatermarkFeature(host, config);
  const completion = new CompletionFeature(host, config, documents, stats, {
    onFinished: (tps) => reporter.recordTokensPerSecond(tps),
    onChange: () => reporter.changed(),
    log,
    promptCache: options.promptCache ?? true,
  });
  const models = new ModelFeature(host, config, reporter, log, (serving) => completion.prepare(serving.loaded));

  let startup: LoadRequest | undefined = options.modelDir
    ? { dir: options.modelDir, device: options.device, dtype: options.dtype, ...(options.assistantDir && { assistantDir: options.assistantDir }) }
    : undefined;

  connection.onInitialize((params): InitializeResult => {
    const parsed = initializationOptionsSchema.safeParse(params.initializationOptions);
    if (!parsed.success) {
      log(`initializationOptions ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'warn');
    } else if (parsed.data) {
      applyInitialization(parsed.data);
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        inlineCompletionProvider: {},
      },
      serverInfo: { name: 'inkwell', version: '0.1.0' },
    };
  });

  function applyInitialization(init: InitializationOptions): void {
    if (init.generation) {
      try {
        config.setUser(init.generation);
      } catch (error) {
        log(`the generation config from the client is not used: ${(error as Error).message}`, 'warn');
      }
    }
    if (init.completion) config.setCompletion(init.completion);
    if (init.modelDir) {
      startup = {
        dir: init.modelDir,
        device: init.device ?? options.device,
        dtype: init.dtype ?? options.dtype,
        ...(init.assistantModelDir && { assistantDir: init.assistantModelDir }),
      };
    }
  }

  connection.onInitialized(() => {
    reporter.changed();
    if (startup) models.load(startup).catch(() => undefined); // the status reports the failure
  });

  const features: Feature[] = [completion, generateFeature, distribution, configFeature, models, watermark];
  const routes = routesOn(connection);
  for (const feature of features) feature.routes(routes);

  documents.onDidClose((event) => completion.forgetDocument(event.document.uri));
  documents.listen(connection);

  const dispose = async () => {
    reporter.dispose();
    for (const feature of features) await feature.dispose?.();
    await host.dispose();
  };
  connection.onShutdown(async () => {
    await dispose();
  });
  connection.onExit(() => process.exit(0));
  return { connection, dispose };
}
