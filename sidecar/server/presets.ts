import type { Preset } from '../protocol';

/**
 * Starting points for the panel. Creative's numbers are the common "chat" defaults
 * (temperature 0.75, top_k 50, top_p 0.95, repetition_penalty 1.1).
 */
export const PRESETS: readonly Preset[] = [
  {
    name: 'Precise',
    description: 'Greedy decoding: always the most likely token. The same input gives the same completion.',
    generation: { do_sample: false },
  },
  {
    name: 'Balanced',
    description: 'Light sampling: mostly the likely tokens, with a little variety.',
    generation: { do_sample: true, temperature: 0.4, top_k: 40, top_p: 0.9 },
  },
  {
    name: 'Creative',
    description: 'More varied text; repetition is discouraged.',
    generation: { do_sample: true, temperature: 0.75, top_k: 50, top_p: 0.95, repetition_penalty: 1.1 },
  },
];
