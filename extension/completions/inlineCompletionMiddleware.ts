import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import type { InkwellSettings } from '../settings/InkwellSettings';
import { waitUnlessCancelled } from './waitUnlessCancelled';

/**
 * Wraps the InlineCompletionItemProvider that vscode-languageclient registers from the server's
 * `inlineCompletionProvider` capability: nothing while completions are disabled, and typing is
 * debounced — an automatic request waits `debounceMs` and is dropped if VS Code cancelled it in
 * the meantime (it does on the next keystroke), so only a burst's last keystroke reaches the
 * sidecar. An explicit trigger (editor.action.inlineSuggest.trigger) does not wait.
 *
 * Accepting is VS Code's: Tab accepts the whole item, editor.action.inlineSuggest.acceptNextWord
 * (Ctrl/Cmd+→) and acceptNextLine take a part of it — they work on any provider's items.
 */
export function inlineCompletionMiddleware(settings: () => InkwellSettings): Middleware {
  return {
    async provideInlineCompletionItems(document, position, context, token, next) {
      const { enabled, debounceMs } = settings().completions;
      if (!enabled) return undefined;
      if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && !(await waitUnlessCancelled(debounceMs, token))) {
        return undefined;
      }
      return next(document, position, context, token);
    },
  };
}
