import type { ConfigFieldInfo, GenerationConfigJson } from '../../sidecar/protocol';
import { el } from './el';
import { buildFormSections, effectiveValue, isSampling, type FieldModel } from './formModel';
import { describeDefault, describeRange, formatFieldValue, parseFieldValue } from './parseFieldValue';
import { sliderBounds } from './sliderBounds';

/** preview: the user is dragging or typing (update the chart); commit: apply and save. */
export type EditPhase = 'preview' | 'commit';

export interface ConfigFormEvents {
  /** A valid value for a field; undefined = unset (take the default). */
  onEdit(key: string, value: unknown, phase: EditPhase): void;
  onSectionToggle(openSections: readonly string[]): void;
}

interface FieldView {
  readonly info: ConfigFieldInfo;
  readonly row: HTMLElement;
  /** The input that carries name="<key>". */
  readonly input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  readonly slider?: HTMLInputElement;
  readonly reset: HTMLButtonElement;
  readonly note?: HTMLElement;
  readonly error: HTMLElement;
}

/**
 * The generation parameters as a form built from the sidecar's field list. It checks values
 * against each field's range as the user edits and reports only valid ones; the sidecar's
 * rejections come back through showFieldError.
 */
export class ConfigForm {
  private readonly views = new Map<string, FieldView>();
  private sections: HTMLDetailsElement[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly events: ConfigFormEvents,
  ) {}

  setFields(fields: readonly ConfigFieldInfo[], openSections: readonly string[] | undefined): void {
    this.views.clear();
    this.sections = buildFormSections(fields).map((section) => {
      const details = el('details', { class: 'section', 'data-section': section.id, open: openSections ? openSections.includes(section.id) : section.open });
      details.append(el('summary', {}, section.title), ...section.fields.map((f) => this.fieldRow(f)));
      details.addEventListener('toggle', () => this.events.onSectionToggle(this.sections.filter((d) => d.open).map((d) => d.dataset.section ?? '')));
      return details;
    });
    this.root.replaceChildren(...this.sections);
  }

  /**
   * Shows a config's values. Leaves alone the input the user is typing in, and inputs that show
   * an error, so that the rejected text stays next to the reason.
   */
  showValues(config: GenerationConfigJson): void {
    const sampling = isSampling(config);
    for (const view of this.views.values()) {
      const value = effectiveValue(config, view.info);
      if (document.activeElement !== view.input && view.error.hidden) this.setInputValue(view, value);
      view.reset.hidden = !Object.hasOwn(config, view.info.key);
      const dimmed = view.info.samplingOnly === true && !sampling;
      view.row.classList.toggle('dimmed', dimmed);
      if (view.note) view.note.hidden = !dimmed;
    }
  }

  showFieldError(key: string, message: string | undefined): boolean {
    const view = this.views.get(key);
    if (!view) return false;
    view.error.textContent = message ?? '';
    view.error.hidden = message === undefined;
    view.input.setAttribute('aria-invalid', String(message !== undefined));
    return true;
  }

  clearFieldErrors(): void {
    for (const key of this.views.keys()) this.showFieldError(key, undefined);
  }

  private fieldRow({ info, control }: FieldModel): HTMLElement {
    const id = `field-${info.key}`;
    const describedBy = [`${id}-help`, `${id}-error`, info.samplingOnly ? `${id}-note` : undefined].filter(Boolean).join(' ');
    const common = { id, name: info.key, 'aria-describedby': describedBy };
    let input: FieldView['input'];
    let slider: HTMLInputElement | undefined;
    switch (control) {
      case 'checkbox':
        input = el('input', { ...common, type: 'checkbox' });
        break;
      case 'select':
        input = el('select', common, ...(info.options ?? []).map((o) => el('option', { value: JSON.stringify(o) }, String(o))));
        break;
      case 'slider': {
        const bounds = sliderBounds(info);
        slider = el('input', { type: 'range', class: 'slider', min: bounds.min, max: bounds.max, step: bounds.step, 'aria-label': `${info.key} slider`, 'aria-describedby': describedBy });
        input = el('input', { ...common, type: 'number', min: info.min, max: info.max, step: info.step ?? 'any', placeholder: 'unset' });
        break;
      }
      case 'number':
        input = el('input', { ...common, type: 'number', min: info.min, max: info.max, step: info.step ?? 'any', placeholder: 'unset' });
        break;
      case 'text':
        input = el('input', { ...common, type: 'text', placeholder: 'unset', spellcheck: 'false' });
        break;
      case 'json':
        input = el('textarea', { ...common, rows: 1, placeholder: 'unset (JSON)', spellcheck: 'false' });
        break;
      default: {
        const unknownControl: never = control;
        throw new Error(`unknown control ${String(unknownControl)}`);
      }
    }
    const reset = el('button', { type: 'button', class: 'reset', title: `Reset ${info.key} to its default`, 'aria-label': `Reset ${info.key} to its default` }, '↺');
    const range = describeRange(info);
    const note = info.samplingOnly ? el('p', { class: 'note', id: `${id}-note` }, 'Ignored while do_sample is off.') : undefined;
    const error = el('p', { class: 'error', id: `${id}-error`, 'aria-live': 'polite', hidden: true });
    const head = el('div', { class: 'field-head' }, el('label', { for: id }, info.key), el('span', { class: 'default' }, range ? `${describeDefault(info)} · ${range}` : describeDefault(info)));
    const controls = el('div', { class: `field-input ${control}` }, ...(slider ? [slider] : []), input, reset);
    const row = el('div', { class: 'field', 'data-key': info.key }, head, controls, el('p', { class: 'help', id: `${id}-help` }, info.help), ...(note ? [note] : []), error);
    const view: FieldView = { info, row, input, reset, error, ...(slider ? { slider } : {}), ...(note ? { note } : {}) };
    this.views.set(info.key, view);
    this.wire(view);
    return row;
  }

  private wire(view: FieldView): void {
    const { info, input, slider, reset } = view;
    const read = (): string | boolean => (input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value);
    const emit = (phase: EditPhase): void => {
      const parsed = parseFieldValue(info, read());
      this.showFieldError(info.key, parsed.ok ? undefined : parsed.message);
      if (!parsed.ok) return;
      if (slider && typeof parsed.value === 'number') slider.value = String(parsed.value);
      this.events.onEdit(info.key, parsed.unset ? undefined : parsed.value, phase);
    };
    if (input instanceof HTMLInputElement && input.type !== 'checkbox') input.addEventListener('input', () => emit('preview'));
    input.addEventListener('change', () => emit('commit'));
    slider?.addEventListener('input', () => {
      input.value = slider.value;
      emit('preview');
    });
    slider?.addEventListener('change', () => emit('commit'));
    reset.addEventListener('click', () => {
      this.showFieldError(info.key, undefined);
      this.setInputValue(view, info.default);
      this.events.onEdit(info.key, undefined, 'commit');
      input.focus();
    });
  }

  private setInputValue(view: FieldView, value: unknown): void {
    const { info, input, slider } = view;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') {
      input.checked = value === true;
      return;
    }
    input.value = formatFieldValue(info, value);
    if (slider) {
      slider.value = typeof value === 'number' ? String(value) : slider.min;
      slider.classList.toggle('unset', typeof value !== 'number');
    }
  }
}
