import { RequestType0 } from 'vscode-languageserver-protocol';
import type { GenerationConfigJson } from '../generationConfigJson';

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly generation: GenerationConfigJson;
}

export interface PresetsResult {
  readonly presets: readonly Preset[];
}

export const presetsRequest = new RequestType0<PresetsResult, void>('inkwell/presets');
