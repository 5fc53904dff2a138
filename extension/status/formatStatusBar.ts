import type { StatusInfo } from '../../sidecar/protocol';

/** Where the sidecar process is, as the extension sees it (StatusInfo is what the sidecar says). */
export type SidecarLifecycle = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export interface StatusBarInput {
  readonly lifecycle: SidecarLifecycle;
  /** The sidecar's last inkwell/statusChanged (undefined until the first one of this process). */
  readonly status?: StatusInfo;
  readonly completionsEnabled: boolean;
}

export interface StatusBarView {
  /** Starts with "$(sparkle) Inkwell: " and then the state word. */
  readonly text: string;
  /** Markdown-free lines (model, dtype, provider, memory, queue). */
  readonly tooltip: string;
  readonly error: boolean;
}

const PREFIX = '$(sparkle) Inkwell: ';

/**
 * The status bar item's text: "Inkwell: starting | loading | ready · cpu · 42 tok/s | error |
 * off | restarting". The process lifecycle wins over the sidecar's own state, and "off"
 * (completions disabled) wins over loading/ready, since that is what the user switched.
 */
export function formatStatusBar(input: StatusBarInput): StatusBarView {
  const { lifecycle, status, completionsEnabled } = input;
  const tooltip = tooltipLines(input).join('\n');
  if (lifecycle === 'restarting') return { text: `${PREFIX}restarting`, tooltip, error: false };
  if (lifecycle === 'failed' || lifecycle === 'stopped') return { text: `${PREFIX}error`, tooltip, error: true };
  if (!status || lifecycle === 'starting') return { text: `${PREFIX}${completionsEnabled ? 'starting' : 'off'}`, tooltip, error: false };
  if (status.state === 'error') return { text: `${PREFIX}error`, tooltip, error: true };
  if (!completionsEnabled) return { text: `${PREFIX}off`, tooltip, error: false };
  switch (status.state) {
    case 'starting':
      return { text: `${PREFIX}starting`, tooltip, error: false };
    case 'loading':
      return { text: `${PREFIX}loading`, tooltip, error: false };
    case 'ready': {
      const parts = ['ready'];
      if (status.model) parts.push(status.model.executionProvider);
      if (status.lastTokensPerSecond !== undefined) parts.push(`${Math.round(status.lastTokensPerSecond)} tok/s`);
      return { text: PREFIX + parts.join(' · '), tooltip, error: false };
    }
    default: {
      const never: never = status.state;
      return { text: `${PREFIX}${String(never)}`, tooltip, error: false };
    }
  }
}

function tooltipLines({ lifecycle, status, completionsEnabled }: StatusBarInput): string[] {
  const lines: string[] = [];
  if (lifecycle === 'restarting') lines.push('The sidecar is restarting.');
  if (lifecycle === 'failed') lines.push('The sidecar keeps crashing and was not restarted: run "Inkwell: Restart Sidecar" (see "Inkwell: Show Logs").');
  if (lifecycle === 'stopped') lines.push('The sidecar is not running.');
  if (status?.loading) lines.push(`Loading ${status.loading.dir} (${status.loading.stage})`);
  if (status?.model) {
    const m = status.model;
    lines.push(`Model: ${m.name} (${m.modelType})`, `Folder: ${m.dir}`, `Dtype: ${m.dtype}`, `Provider: ${m.executionProvider}`);
    if (m.assistant) lines.push(`Assistant: ${m.assistant.name} (${m.assistant.dtype})`);
  } else if (status && !status.loading) {
    lines.push('No model loaded');
  }
  if (status?.error) lines.push(`Last error: ${status.error.message}`);
  if (status) {
    lines.push(`Memory: ${status.memory.rssMb} MB RSS, ${status.memory.heapUsedMb} MB heap`);
    lines.push(`Queue: ${status.queue.running} running, ${status.queue.waiting} waiting`);
    if (status.lastTokensPerSecond !== undefined) lines.push(`Last speed: ${status.lastTokensPerSecond} tok/s`);
    const assisted = status.completions.assisted;
    if (assisted) {
      lines.push(`Speculative decoding: ${(assisted.acceptanceRate * 100).toFixed(0)}% of ${assisted.drafted} drafted tokens accepted, ${assisted.tokensPerMainForward.toFixed(2)} tokens per main forward`);
    }
  }
  lines.push(`Completions: ${completionsEnabled ? 'on' : 'off'}`, 'Click to open the Inkwell panel');
  return lines;
}
