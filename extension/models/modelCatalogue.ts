/**
 * A short, curated list of code models with ONNX exports on the Hugging Face Hub, for "Inkwell:
 * Download Model…". Facts from the model cards (parameters, context, license, FIM markers); the
 * sizes are not listed here because they differ per dtype and change with re-exports: the picker
 * asks the Hub (`inkwell download --list`) once a model is chosen. Not downloaded from our machines
 * (they cannot reach the Hub); the picker's last entry takes any repo id.
 */
export interface CatalogueModel {
  readonly repoId: string;
  readonly parameters: string;
  readonly contextTokens: number;
  readonly license: string;
  /** How inline completions see it: fill-in-the-middle markers, or prefix only. */
  readonly fim: string;
  readonly note: string;
}

export const MODEL_CATALOGUE: readonly CatalogueModel[] = [
  { repoId: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', parameters: '0.5 B', contextTokens: 32768, license: 'Apache-2.0', fim: 'FIM (Qwen markers)', note: 'any laptop, CPU (q4)' },
  { repoId: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct', parameters: '1.5 B', contextTokens: 32768, license: 'Apache-2.0', fim: 'FIM (Qwen markers)', note: '8 GB+ RAM, CPU (q4) or GPU' },
  { repoId: 'onnx-community/Qwen2.5-Coder-3B-Instruct', parameters: '3 B', contextTokens: 32768, license: 'Qwen Research', fim: 'FIM (Qwen markers)', note: 'GPU or a fast CPU' },
  { repoId: 'HuggingFaceTB/SmolLM2-360M-Instruct', parameters: '0.36 B', contextTokens: 8192, license: 'Apache-2.0', fim: 'no FIM: prefix only', note: 'small machines; chat rather than completion' },
];
