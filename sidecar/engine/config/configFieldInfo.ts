import type { DecodingMode } from './GenerationConfig';
import { generationConfigEntries, type FieldGroup, type GenerationConfigKey } from './generationConfigFields';

/** How one generation parameter is presented to people (the panel's form, `inkwell config`). */
export interface ConfigFieldInfo {
  readonly key: GenerationConfigKey;
  readonly group: FieldGroup;
  readonly kind: 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'json';
  /** HF's default as the file writes it; null where the default is "unset". */
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** Where a slider stops when the allowed range is wider or open (temperature: > 0, slider to 2). */
  readonly sliderMin?: number;
  readonly sliderMax?: number;
  readonly step?: number;
  readonly options?: readonly unknown[];
  /** One line on what the parameter does to the text. */
  readonly help: string;
  /** Read only when sampling (do_sample = true). */
  readonly samplingOnly?: boolean;
}

/** The modes do_sample = false leaves no reader in but contrastive search (top_k, its candidate count). */
const READ_WHEN_SAMPLING: readonly DecodingMode[] = ['sample', 'beam-sample', 'assisted', 'contrastive'];

/**
 * The field table's entries that have a `form`, in the order the form shows them. min/max are the
 * table's range, the one checkGenerationConfig enforces; bookkeeping fields that only make sense
 * to Python callers (output_attentions, return_dict_in_generate …) have no form and are left out.
 */
export const configFieldInfo: readonly ConfigFieldInfo[] = generationConfigEntries
  .flatMap(([key, field]) => (field.form ? [{ key, field, form: field.form }] : []))
  .sort((a, b) => a.form.order - b.form.order)
  .map(({ key, field, form }) => {
    const { order: _order, group, help, ...display } = form;
    const samplingOnly = field.modes.includes('sample') && field.modes.every((mode) => READ_WHEN_SAMPLING.includes(mode));
    return {
      key,
      group,
      kind: form.options ? 'enum' : field.kind,
      default: field.write(field.default) ?? null,
      ...field.range,
      ...display,
      help,
      ...(samplingOnly ? { samplingOnly } : {}),
    };
  });
