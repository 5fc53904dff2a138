import type { Preset } from '../../sidecar/protocol';
import { el } from './el';

/** One button per preset (Precise / Balanced / Creative); the one the config matches is pressed. */
export class PresetBar {
  private buttons: { preset: Preset; button: HTMLButtonElement }[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly onApply: (preset: Preset) => void,
  ) {}

  show(presets: readonly Preset[]): void {
    this.buttons = presets.map((preset) => {
      const button = el('button', { type: 'button', class: 'preset', 'aria-pressed': 'false', title: preset.description, 'data-preset': preset.name }, preset.name);
      button.addEventListener('click', () => this.onApply(preset));
      return { preset, button };
    });
    this.root.replaceChildren(...this.buttons.map((b) => b.button));
  }

  markActive(name: string | undefined): void {
    for (const { preset, button } of this.buttons) button.setAttribute('aria-pressed', String(preset.name === name));
  }
}
