import type { ConfigState, GenerationConfigJson, Preset } from '../../sidecar/protocol';
import { applyPreset, matchingPreset } from './applyPreset';
import { ConfigForm, type EditPhase } from './ConfigForm';
import { debounce } from './debounce';
import { DistributionChart } from './DistributionChart';
import type { ExtensionMessage, FieldError } from './messages';
import { Playground } from './Playground';
import { PresetBar } from './PresetBar';
import { StatusLine } from './StatusLine';
import type { ExtensionHost } from './vscodeApi';

/** What the chart shows when the playground prompt is empty. */
export const SAMPLE_PROMPT = 'def fibonacci(n):\n    ';
const CHART_TOKENS = 10;
const DEBOUNCE_MS = 150;

export interface PanelElements {
  readonly status: HTMLElement;
  readonly generalError: HTMLElement;
  readonly presets: HTMLElement;
  readonly form: HTMLElement;
  readonly playground: HTMLElement;
  readonly chart: HTMLElement;
}

/**
 * The panel's state and the one switch over the extension's messages. It keeps two configs:
 * `accepted` (what the sidecar last took, and settings hold) and `draft` (what the form shows,
 * which the chart and the playground use before it is committed).
 */
export class PanelApp {
  private accepted: GenerationConfigJson = {};
  private draft: GenerationConfigJson = {};
  private presets: readonly Preset[] = [];
  private configSeq = 0;
  private distributionSeq = 0;
  private runId = 0;
  private running: number | undefined;

  private readonly statusLine: StatusLine;
  private readonly presetBar: PresetBar;
  private readonly form: ConfigForm;
  private readonly playground: Playground;
  private readonly chart: DistributionChart;
  private readonly requestDistribution = debounce(() => this.sendDistribution(), DEBOUNCE_MS);
  /** Arrow keys on a slider commit on every press; the sidecar and settings see the last one. */
  private readonly commitSoon = debounce(() => this.commit(), DEBOUNCE_MS);

  constructor(
    private readonly host: ExtensionHost,
    private readonly elements: PanelElements,
  ) {
    this.statusLine = new StatusLine(elements.status);
    this.presetBar = new PresetBar(elements.presets, (preset) => this.choosePreset(preset));
    this.form = new ConfigForm(elements.form, {
      onEdit: (key, value, phase) => this.edit(key, value, phase),
      onSectionToggle: (open) => host.saveState({ open }),
    });
    this.playground = new Playground(
      elements.playground,
      {
        onGenerate: (prompt) => this.generate(prompt),
        onStop: () => this.running !== undefined && host.post({ type: 'stopGenerate', runId: this.running }),
        onPromptInput: (prompt) => {
          host.saveState({ prompt });
          this.requestDistribution();
        },
      },
      host.state().prompt ?? '',
    );
    this.chart = new DistributionChart(elements.chart);
  }

  start(): void {
    this.host.onMessage((message) => this.receive(message));
    this.host.post({ type: 'ready' });
  }

  receive(message: ExtensionMessage): void {
    switch (message.type) {
      case 'config':
        this.showGeneralError(undefined);
        this.form.setFields(message.state.fields, this.host.state().open);
        this.takeConfig(message.state, true);
        this.requestDistribution();
        break;
      case 'presets':
        this.presets = message.presets;
        this.presetBar.show(message.presets);
        this.presetBar.markActive(matchingPreset(this.draft, this.presets)?.name);
        break;
      case 'status':
        this.statusLine.show(message.status);
        break;
      case 'loadFailed':
        if (message.what === 'status') this.statusLine.failed(message.message);
        else this.showGeneralError(`Could not load the ${message.what}: ${message.message}`);
        break;
      case 'configApplied':
        // Field errors stay: they belong to values that were never sent (the user's to fix).
        if (message.seq !== this.configSeq) break;
        this.showGeneralError(undefined);
        this.takeConfig(message.state, false);
        break;
      case 'configRejected':
        if (message.seq !== this.configSeq) break;
        this.showFieldErrors(message.fieldErrors, `Not saved: ${message.message}`);
        // The rejected value stays in its input, next to its error; the config falls back.
        this.draft = { ...this.accepted };
        this.refreshForm();
        this.requestDistribution();
        break;
      case 'generateDelta':
        if (message.runId === this.running) this.playground.delta(message.sequence, message.delta);
        break;
      case 'generateDone':
        if (message.runId !== this.running) break;
        this.running = undefined;
        this.playground.done(message.texts, message.tokensPerSecond, message.finishReason, message.warnings, message.scores);
        break;
      case 'generateFailed':
        if (message.runId !== this.running) break;
        this.running = undefined;
        this.playground.failed(message.message, message.cancelled);
        break;
      case 'distribution':
        if (message.seq === this.distributionSeq) this.chart.show(message.result, this.playground.prompt.value.trim() === '');
        break;
      case 'distributionFailed':
        if (message.seq !== this.distributionSeq) break;
        this.chart.failed(message.message);
        this.showFieldErrors(message.fieldErrors, undefined);
        break;
      default: {
        const unknown: never = message;
        console.warn('inkwell panel: unknown message', unknown);
      }
    }
  }

  private takeConfig(state: ConfigState, replaceDraft: boolean): void {
    this.accepted = { ...state.generation };
    if (replaceDraft) this.draft = { ...state.generation };
    this.refreshForm();
  }

  private edit(key: string, value: unknown, phase: EditPhase): void {
    const next = { ...this.draft };
    if (value === undefined) delete next[key];
    else next[key] = value;
    this.draft = next;
    this.refreshForm();
    this.requestDistribution();
    if (phase === 'commit') this.commitSoon();
  }

  private choosePreset(preset: Preset): void {
    this.form.clearFieldErrors();
    this.draft = applyPreset(this.draft, preset, this.presets);
    this.refreshForm();
    this.requestDistribution();
    this.commitSoon();
  }

  private commit(): void {
    this.configSeq += 1;
    this.host.post({ type: 'setConfig', seq: this.configSeq, generation: this.draft });
  }

  private generate(prompt: string): void {
    if (this.running !== undefined) return;
    this.runId += 1;
    this.running = this.runId;
    this.playground.started();
    this.host.post({ type: 'generate', runId: this.runId, prompt, generation: this.draft });
  }

  private sendDistribution(): void {
    this.distributionSeq += 1;
    const typed = this.playground.prompt.value;
    this.chart.pending(true);
    this.host.post({ type: 'distribution', seq: this.distributionSeq, prompt: typed.trim() === '' ? SAMPLE_PROMPT : typed, generation: this.draft, topN: CHART_TOKENS });
  }

  private refreshForm(): void {
    this.form.showValues(this.draft);
    this.presetBar.markActive(matchingPreset(this.draft, this.presets)?.name);
  }

  private showFieldErrors(errors: readonly FieldError[], fallback: string | undefined): void {
    const unplaced = errors.filter((e) => !this.form.showFieldError(e.field, e.message));
    if (unplaced.length > 0) this.showGeneralError(unplaced.map((e) => `${e.field}: ${e.message}`).join('\n'));
    else if (errors.length === 0 && fallback !== undefined) this.showGeneralError(fallback);
  }

  private showGeneralError(message: string | undefined): void {
    this.elements.generalError.textContent = message ?? '';
    this.elements.generalError.hidden = message === undefined;
  }
}
