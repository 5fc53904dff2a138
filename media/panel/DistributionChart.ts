import type { NextTokenDistributionResult } from '../../sidecar/protocol';
import { decodingCaption, shapeDistribution } from './chartData';
import { el } from './el';

/** Stage colours cycle through this many theme chart colours (see panel.css .stage-N). */
const STAGE_COLOURS = 6;

/**
 * The next-token distribution as horizontal bars: one row per token, one bar per stage (raw,
 * then each logits processor), so that the effect of temperature, top-k and top-p is visible
 * side by side. Bars are plain elements sized through the CSSOM (allowed by the CSP, unlike
 * style attributes).
 */
export class DistributionChart {
  private readonly chart: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly error: HTMLElement;

  constructor(root: HTMLElement) {
    this.caption = el('p', { class: 'hint', id: 'distribution-caption' }, 'Waiting for the model…');
    this.chart = el('div', { id: 'distribution-chart', role: 'figure', 'aria-labelledby': 'distribution-caption' });
    this.error = el('p', { class: 'error', role: 'alert', hidden: true });
    root.replaceChildren(this.caption, this.error, this.chart);
  }

  pending(isPending: boolean): void {
    this.chart.classList.toggle('pending', isPending);
    this.chart.setAttribute('aria-busy', String(isPending));
  }

  show(result: NextTokenDistributionResult, usedDefaultPrompt: boolean): void {
    this.pending(false);
    this.showError(undefined);
    const data = shapeDistribution(result);
    const legend = el(
      'ul',
      { class: 'legend', 'aria-label': 'Stages' },
      ...data.stages.map((s) => el('li', {}, el('span', { class: `swatch stage-${s.index % STAGE_COLOURS}`, 'aria-hidden': 'true' }), `${s.name}`, el('span', { class: 'kept' }, ` kept ${s.kept.toLocaleString('en-US')}`))),
    );
    const rows = data.rows.map((row) =>
      el(
        'div',
        { class: 'token-row', role: 'group', 'aria-label': `token ${row.title}` },
        el('code', { class: 'token', title: row.title }, row.label),
        el(
          'div',
          { class: 'bars' },
          ...row.bars.map((bar) => {
            const fill = el('span', { class: `fill stage-${bar.stageIndex % STAGE_COLOURS}` });
            fill.style.width = `${(bar.fraction * 100).toFixed(2)}%`;
            return el(
              'div',
              { class: `bar${bar.removed ? ' removed' : ''}`, title: `${bar.stage}: ${bar.label}` },
              el('span', { class: 'track' }, fill),
              el('span', { class: 'value' }, el('span', { class: 'visually-hidden' }, `${bar.stage} `), bar.label),
            );
          }),
        ),
      ),
    );
    const picks = decodingCaption(result.decoding);
    this.caption.textContent = `Next token${usedDefaultPrompt ? ' (sample prompt)' : ''} · ${picks} · ${result.promptTokens} prompt tokens · ${result.forwardMs.toFixed(0)} ms`;
    this.chart.replaceChildren(legend, ...rows);
    if (result.warnings.length > 0) this.showError(result.warnings.join(' '), 'warning');
  }

  failed(message: string): void {
    this.pending(false);
    this.showError(message);
  }

  /** An error, or a warning (e.g. a setting that has no effect) shown in the same place, styled as such. */
  private showError(message: string | undefined, kind: 'error' | 'warning' = 'error'): void {
    this.error.textContent = message ?? '';
    this.error.hidden = message === undefined;
    this.error.classList.toggle('warning', kind === 'warning');
  }
}
