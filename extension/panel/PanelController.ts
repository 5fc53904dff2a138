import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionMessage, WebviewMessage } from '../../media/panel/messages';
import { InkwellRequests, type GenerationConfigJson } from '../../sidecar/protocol';
import { describeRequestError } from './describeRequestError';
import type { PanelBackend } from './PanelBackend';

/**
 * Serves one webview: turns its messages into sidecar requests and the answers (and the
 * sidecar's notifications) into messages back. Lives as long as the webview does.
 */
export class PanelController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runs = new Map<number, vscode.CancellationTokenSource>();
  private distribution: vscode.CancellationTokenSource | undefined;
  /** setConfig + save run one after another, so that settings end with the last one. */
  private configChain: Promise<void> = Promise.resolve();
  /** Makes stream ids unique across webviews and reloads. */
  private readonly streamPrefix = `panel-${randomBytes(6).toString('hex')}`;
  private disposed = false;

  constructor(
    private readonly backend: PanelBackend,
    private readonly post: (message: ExtensionMessage) => void,
  ) {
    this.disposables.push(backend.onStatus((status) => this.send({ type: 'status', status })));
  }

  handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        void this.load();
        break;
      case 'setConfig':
        this.configChain = this.configChain.then(() => this.setConfig(message.seq, message.generation));
        break;
      case 'generate':
        void this.generate(message.runId, message.prompt, message.generation);
        break;
      case 'stopGenerate':
        this.runs.get(message.runId)?.cancel();
        break;
      case 'distribution':
        void this.nextTokenDistribution(message.seq, message.prompt, message.generation, message.topN);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`unhandled webview message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private async load(): Promise<void> {
    const { backend } = this;
    await Promise.all([
      backend.sendRequest(InkwellRequests.getConfig).then(
        (state) => this.send({ type: 'config', state }),
        (error: unknown) => this.send({ type: 'loadFailed', what: 'config', message: describeRequestError(error).message }),
      ),
      backend.sendRequest(InkwellRequests.presets).then(
        (result) => this.send({ type: 'presets', presets: result.presets }),
        (error: unknown) => this.send({ type: 'loadFailed', what: 'presets', message: describeRequestError(error).message }),
      ),
      backend.sendRequest(InkwellRequests.status).then(
        (status) => this.send({ type: 'status', status }),
        (error: unknown) => this.send({ type: 'loadFailed', what: 'status', message: describeRequestError(error).message }),
      ),
    ]);
  }

  /** The sidecar validates; only a config it accepts is saved to settings (which the next completion uses). */
  private async setConfig(seq: number, generation: GenerationConfigJson): Promise<void> {
    let state;
    try {
      state = await this.backend.sendRequest(InkwellRequests.setConfig, { generation });
    } catch (error) {
      const failure = describeRequestError(error);
      this.send({ type: 'configRejected', seq, message: failure.message, fieldErrors: failure.fieldErrors });
      return;
    }
    try {
      // The user's own choices only (the sidecar drops what merely repeats the model's defaults).
      await this.backend.saveGenerationConfig(state.user);
    } catch (error) {
      this.send({ type: 'configRejected', seq, message: `could not save the settings: ${describeRequestError(error).message}`, fieldErrors: [] });
      return;
    }
    this.send({ type: 'configApplied', seq, state });
  }

  private async generate(runId: number, prompt: string, generation: GenerationConfigJson): Promise<void> {
    const source = new vscode.CancellationTokenSource();
    this.runs.set(runId, source);
    const streamId = `${this.streamPrefix}-${runId}`;
    const progress = this.backend.onGenerateProgress((p) => {
      if (p.streamId === streamId && p.delta !== '') this.send({ type: 'generateDelta', runId, sequence: p.sequence, delta: p.delta });
    });
    try {
      const result = await this.backend.sendRequest(InkwellRequests.generate, { prompt, config: generation, streamId }, source.token);
      if (result === undefined) throw new vscode.CancellationError(); // the client's answer to a cancelled request
      this.send({
        type: 'generateDone',
        runId,
        texts: result.sequences.map((s) => s.text),
        ...(result.sequenceScores && { scores: result.sequenceScores }),
        finishReason: result.sequences[0]?.finishReason ?? 'aborted',
        tokensPerSecond: result.timings.decodeTokensPerSecond,
        warnings: result.warnings,
      });
    } catch (error) {
      const failure = describeRequestError(error);
      this.send({ type: 'generateFailed', runId, message: failure.message, cancelled: failure.cancelled || source.token.isCancellationRequested });
    } finally {
      progress.dispose();
      source.dispose();
      this.runs.delete(runId);
    }
  }

  /** A newer request replaces the one in flight: the old one is cancelled at the sidecar. */
  private async nextTokenDistribution(seq: number, prompt: string, generation: GenerationConfigJson, topN: number): Promise<void> {
    this.distribution?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.distribution = source;
    try {
      const result = await this.backend.sendRequest(InkwellRequests.nextTokenDistribution, { prompt, config: generation, topN }, source.token);
      if (!source.token.isCancellationRequested && result !== undefined) this.send({ type: 'distribution', seq, result });
    } catch (error) {
      const failure = describeRequestError(error);
      if (!failure.cancelled && !source.token.isCancellationRequested) this.send({ type: 'distributionFailed', seq, message: failure.message, fieldErrors: failure.fieldErrors });
    } finally {
      if (this.distribution === source) this.distribution = undefined;
      source.dispose();
    }
  }

  private send(message: ExtensionMessage): void {
    if (!this.disposed) this.post(message);
  }

  dispose(): void {
    this.disposed = true;
    for (const source of this.runs.values()) source.cancel();
    this.distribution?.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
