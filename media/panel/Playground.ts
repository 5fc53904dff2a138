import type { FinishReason } from '../../sidecar/protocol';
import { el } from './el';
import { TokenRate } from './TokenRate';
import { playgroundText } from './playgroundText';

export interface PlaygroundEvents {
  onGenerate(prompt: string): void;
  onStop(): void;
  onPromptInput(prompt: string): void;
}

/**
 * A prompt, a Generate/Stop button and the streamed text with its speed. Which run is current
 * is the caller's business; this only shows one run at a time.
 */
export class Playground {
  readonly prompt: HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly output: HTMLElement;
  private readonly speed: HTMLElement;
  private readonly error: HTMLElement;
  private running = false;
  private rate = new TokenRate();

  constructor(root: HTMLElement, events: PlaygroundEvents, initialPrompt: string) {
    this.prompt = el('textarea', { id: 'playground-prompt', rows: 4, spellcheck: 'false', placeholder: 'def fibonacci(n):' });
    this.prompt.value = initialPrompt;
    this.button = el('button', { id: 'playground-generate', type: 'button', class: 'primary' }, 'Generate');
    this.output = el('pre', { id: 'playground-output', 'aria-live': 'polite', 'aria-label': 'Generated text', tabindex: 0 });
    this.speed = el('span', { id: 'playground-speed', 'aria-live': 'polite' });
    this.error = el('p', { class: 'error', id: 'playground-error', role: 'alert', hidden: true });
    root.replaceChildren(
      el('label', { for: 'playground-prompt' }, 'Prompt'),
      this.prompt,
      el('div', { class: 'row' }, this.button, el('span', { class: 'hint' }, 'Ctrl+Enter'), this.speed),
      this.error,
      this.output,
    );
    this.button.addEventListener('click', () => (this.running ? events.onStop() : events.onGenerate(this.prompt.value)));
    this.prompt.addEventListener('input', () => events.onPromptInput(this.prompt.value));
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !this.running) {
        e.preventDefault();
        events.onGenerate(this.prompt.value);
      }
    });
  }

  started(): void {
    this.setRunning(true);
    this.rate = new TokenRate();
    this.output.textContent = '';
    // Beam search shows nothing until it ends: say that it runs.
    this.speed.textContent = 'generating…';
    this.showError(undefined);
  }

  /** Appends a streamed piece of sequence 0 (other sequences arrive with done()). */
  delta(sequence: number, text: string): void {
    if (sequence !== 0) return;
    this.output.append(text);
    this.rate.add(performance.now());
    const perSecond = this.rate.perSecond();
    if (perSecond !== undefined) this.speed.textContent = `${perSecond.toFixed(1)} tok/s`;
  }

  done(texts: readonly string[], tokensPerSecond: number, finishReason: FinishReason, warnings: readonly string[], scores?: readonly number[]): void {
    this.setRunning(false);
    // The result is authoritative: it replaces the streamed pieces, and shows every sequence.
    this.output.textContent = playgroundText(texts, scores);
    this.speed.textContent = `${tokensPerSecond.toFixed(1)} tok/s · ${finishReason}`;
    this.showError(warnings.length > 0 ? warnings.join(' ') : undefined, 'warning');
  }

  failed(message: string, cancelled: boolean): void {
    this.setRunning(false);
    if (cancelled) this.speed.textContent = 'stopped';
    else this.showError(message);
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.button.textContent = running ? 'Stop' : 'Generate';
    this.button.classList.toggle('primary', !running);
    this.output.setAttribute('aria-busy', String(running));
  }

  /** An error, or a warning (e.g. a setting that has no effect) shown in the same place, styled as such. */
  private showError(message: string | undefined, kind: 'error' | 'warning' = 'error'): void {
    this.error.textContent = message ?? '';
    this.error.hidden = message === undefined;
    this.error.classList.toggle('warning', kind === 'warning');
  }
}
