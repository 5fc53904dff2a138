import type { ConfigFieldInfo } from '../../sidecar/protocol';

export type FieldGroup = ConfigFieldInfo['group'];

/** How a field is edited. */
export type FieldControl = 'checkbox' | 'select' | 'slider' | 'number' | 'text' | 'json';

export interface FieldModel {
  readonly info: ConfigFieldInfo;
  readonly control: FieldControl;
}

export interface FormSection {
  /** 'common' gathers the everyday fields ahead of the groups they belong to. */
  readonly id: 'common' | FieldGroup;
  readonly title: string;
  readonly open: boolean;
  readonly fields: readonly FieldModel[];
}

/** The fields most people tune, in the order they are shown first. */
export const COMMON_KEYS: readonly string[] = ['do_sample', 'temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'repetition_penalty', 'max_new_tokens'];

const GROUP_TITLES: Readonly<Record<FieldGroup, string>> = {
  strategy: 'Decoding strategy',
  shaping: 'Sampling shape',
  length: 'Length and stopping',
  penalties: 'Penalties',
  output: 'Output',
  tokens: 'Token control',
  advanced: 'Advanced',
};
const GROUP_ORDER: readonly FieldGroup[] = ['strategy', 'shaping', 'length', 'penalties', 'output', 'tokens', 'advanced'];

export function fieldControl(info: ConfigFieldInfo): FieldControl {
  switch (info.kind) {
    case 'boolean':
      return 'checkbox';
    case 'enum':
      return 'select';
    case 'integer':
    case 'number':
      return hasUsefulSlider(info) ? 'slider' : 'number';
    case 'string':
      return 'text';
    case 'json':
      return 'json';
    default: {
      const unknownKind: never = info.kind;
      throw new Error(`unknown field kind ${String(unknownKind)}`);
    }
  }
}

/** Bounded, and not so wide that one pixel of slider skips thousands of values (seed, max_length). */
const MAX_SLIDER_STEPS = 5000;
function hasUsefulSlider(info: ConfigFieldInfo): boolean {
  const min = info.sliderMin ?? info.min;
  const max = info.sliderMax ?? info.max;
  if (min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max)) return false;
  return info.kind === 'number' || (max - min) / (info.step ?? 1) <= MAX_SLIDER_STEPS;
}

/**
 * The form's sections: the common fields first (open), then every other field under its
 * group (collapsed), each keeping the order the sidecar sent.
 */
export function buildFormSections(fields: readonly ConfigFieldInfo[]): FormSection[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const common = COMMON_KEYS.flatMap((key) => {
    const info = byKey.get(key);
    return info ? [{ info, control: fieldControl(info) }] : [];
  });
  const rest = fields.filter((f) => !COMMON_KEYS.includes(f.key));
  const groups = [...GROUP_ORDER, ...new Set(rest.map((f) => f.group).filter((g) => !GROUP_ORDER.includes(g)))];
  const sections: FormSection[] = common.length > 0 ? [{ id: 'common', title: 'Common', open: true, fields: common }] : [];
  for (const group of groups) {
    const inGroup = rest.filter((f) => f.group === group).map((info) => ({ info, control: fieldControl(info) }));
    if (inGroup.length > 0) sections.push({ id: group, title: GROUP_TITLES[group] ?? group, open: false, fields: inGroup });
  }
  return sections;
}

/** The value a field has under a config: its own entry, else its default. */
export function effectiveValue(config: Readonly<Record<string, unknown>>, info: ConfigFieldInfo): unknown {
  return Object.hasOwn(config, info.key) && config[info.key] !== undefined ? config[info.key] : info.default;
}

/** Whether sampling is on under a config; decides which fields are dimmed. */
export function isSampling(config: Readonly<Record<string, unknown>>): boolean {
  return config.do_sample === true;
}
