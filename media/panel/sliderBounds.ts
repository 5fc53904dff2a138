import type { ConfigFieldInfo } from '../../sidecar/protocol';

/**
 * The slider's range for a numeric field: sliderMin/sliderMax where the allowed range is wider
 * or open (the number input still takes any allowed value), else the allowed range. An
 * exclusive bound is pulled in by one step, so that the slider cannot reach a value the sidecar
 * rejects (temperature > 0: the slider starts at 0.05).
 */
export function sliderBounds(info: ConfigFieldInfo): { min: number; max: number; step: number | 'any' } {
  const step = info.step ?? (info.kind === 'integer' ? 1 : 'any');
  const inset = typeof step === 'number' ? step : 0;
  const min = info.sliderMin ?? (info.min ?? 0) + (info.minExclusive ? inset : 0);
  const max = info.sliderMax ?? (info.max ?? 1) - (info.maxExclusive ? inset : 0);
  return { min, max, step };
}
