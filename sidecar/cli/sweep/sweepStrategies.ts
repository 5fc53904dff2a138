import { InkwellError } from '../../engine';

/** One row of `inkwell sweep --strategies`: HF generation_config fields set on top of the run's config. */
export interface SweepStrategy {
  readonly name: string;
  /** snake_case keys and --set-style string values, validated by mergeConfig like any --set. */
  readonly overlay: Readonly<Record<string, string>>;
}

/**
 * Applied before every overlay: the fields that choose HF's decoding mode. Without it a model
 * whose generation_config.json sets do_sample (most chat models do) would turn 'greedy' into
 * sampling and 'beam' into beam sampling.
 */
export const STRATEGY_BASE: Readonly<Record<string, string>> = { do_sample: 'false', num_beams: '1', num_beam_groups: '1', penalty_alpha: 'null' };

/** The strategies compared, in the order the table prints. */
export const SWEEP_STRATEGIES: readonly SweepStrategy[] = [
  { name: 'greedy', overlay: {} },
  { name: 'sample', overlay: { do_sample: 'true' } },
  { name: 'beam', overlay: { num_beams: '4', early_stopping: 'false' } },
  { name: 'beam-early', overlay: { num_beams: '4', early_stopping: 'true' } },
  { name: 'beam-never', overlay: { num_beams: '4', early_stopping: 'never' } },
  { name: 'beam-sample', overlay: { num_beams: '4', do_sample: 'true' } },
  { name: 'diverse', overlay: { num_beams: '4', num_beam_groups: '2', diversity_penalty: '1.0' } },
  { name: 'contrastive', overlay: { penalty_alpha: '0.6', top_k: '4' } },
];

/** The config overrides of one strategy: the mode fields reset, then its overlay. */
export function strategyOverrides(strategy: SweepStrategy): Record<string, string> {
  return { ...STRATEGY_BASE, ...strategy.overlay };
}

/** "all" (or nothing) for every strategy, else a comma-separated list of names, run in the order given. */
export function pickStrategies(list: string): SweepStrategy[] {
  if (list.trim() === '' || list.trim() === 'all') return [...SWEEP_STRATEGIES];
  const names = list.split(',').map((n) => n.trim());
  const seen = new Set<string>();
  return names.map((name) => {
    const strategy = SWEEP_STRATEGIES.find((s) => s.name === name);
    if (!strategy || seen.has(name)) {
      const why = strategy ? 'is listed twice' : 'is not a strategy';
      throw new InkwellError('invalid-argument', `--strategies: ${JSON.stringify(name)} ${why}: use all or a list of ${SWEEP_STRATEGIES.map((s) => s.name).join(', ')}`, {
        details: { field: 'strategies', value: name, allowed: SWEEP_STRATEGIES.map((s) => s.name) },
      });
    }
    seen.add(name);
    return strategy;
  });
}

/** The table as `inkwell --help` shows it. */
export function strategyUsageLines(): string[] {
  const width = Math.max(...SWEEP_STRATEGIES.map((s) => s.name.length));
  const show = (fields: Readonly<Record<string, string>>) => Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `--strategies: each row sets ${show(STRATEGY_BASE)}, then:`,
    ...SWEEP_STRATEGIES.map((s) => `  ${s.name.padEnd(width)}  ${show(s.overlay) || '(nothing more)'}`),
  ];
}
