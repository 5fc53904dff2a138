import type { StatusInfo } from '../../sidecar/protocol';

/** One line at the top: state, model, provider, dtype, last speed, speculative decoding. */
export class StatusLine {
  constructor(private readonly root: HTMLElement) {
    root.setAttribute('role', 'status');
    root.textContent = 'Connecting to the sidecar…';
  }

  show(status: StatusInfo): void {
    this.root.dataset.state = status.state;
    this.root.textContent = describeStatus(status);
    this.root.title = status.model ? status.model.dir : '';
  }

  failed(message: string): void {
    this.root.dataset.state = 'error';
    this.root.textContent = `Sidecar unavailable: ${message}`;
  }
}

export function describeStatus(status: StatusInfo): string {
  const parts: string[] = [status.state];
  if (status.state === 'loading' && status.loading) parts.push(`${status.loading.stage}…`);
  if (status.model) parts.push(status.model.name, status.model.executionProvider, status.model.dtype);
  else if (status.state === 'ready') parts.push('no model');
  if (status.lastTokensPerSecond !== undefined) parts.push(`${status.lastTokensPerSecond.toFixed(1)} tok/s`);
  if (status.model?.assistant) parts.push(`assistant ${status.model.assistant.name}`);
  const assisted = status.completions.assisted;
  if (assisted) parts.push(`drafts ${(assisted.acceptanceRate * 100).toFixed(0)}% accepted, ${assisted.tokensPerMainForward.toFixed(2)} tok/forward`);
  for (const warning of status.model?.warnings ?? []) parts.push(`warning: ${warning}`);
  if (status.error) parts.push(`last load failed: ${status.error.message}`);
  return parts.join(' · ');
}
