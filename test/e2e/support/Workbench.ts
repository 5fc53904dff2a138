import type { FrameLocator, Locator, Page } from 'playwright-core';
import { WaitTimeoutError } from './withTimeout';

/**
 * The VS Code workbench in a Playwright page, driven as a user would: keyboard shortcuts, the
 * quick input, the status bar. Every wait is bounded and names what it waited for.
 */
export class Workbench {
  constructor(readonly page: Page) {}

  /** The status bar item whose text contains `label`, e.g. "Inkwell:". */
  statusItem(label: string): Locator {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: label });
  }

  /** Waits until the status bar item with `label` shows text matching `state`. */
  async waitForStatus(label: string, state: RegExp, timeoutMs: number): Promise<void> {
    const item = this.statusItem(label);
    try {
      await item.filter({ hasText: state }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (error) {
      const shown = await item.first().textContent({ timeout: 1_000 }).catch(() => null);
      throw new WaitTimeoutError(`the status bar item "${label}" to show ${state} (it shows ${JSON.stringify(shown)})`, timeoutMs, { cause: error });
    }
  }

  /** Opens a workspace file through Quick Open and waits for its editor to be active. */
  async openFile(name: string, timeoutMs = 20_000): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInputType(name, timeoutMs);
    await this.quickInputPick(name, timeoutMs);
    await this.waitFor(
      this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`),
      `an active editor tab for ${name}`,
      timeoutMs,
    );
    await this.waitFor(this.activeEditor.locator('.view-lines'), `the editor of ${name}`, timeoutMs);
  }

  /** Runs a command by its palette title ("Category: Title") through F1. */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInputType(title, timeoutMs);
    await this.quickInputPick(title, timeoutMs);
  }

  /**
   * Runs a command that opens a quick pick of its own: the palette's widget is reused, so it may
   * never close in between; waits for a row of the command's pick instead.
   */
  async runCommandToPick(title: string, rowText: string, timeoutMs = 20_000): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInputType(title, timeoutMs);
    const row = this.quickInput.locator('.monaco-list-row').filter({ hasText: title }).first();
    await this.waitFor(row, `"${title}" in the command palette`, timeoutMs);
    await row.click();
    await this.waitFor(this.quickInputRow(rowText), `"${rowText}" in the quick pick of ${title}`, timeoutMs);
  }

  /** Moves the cursor of the active editor to the start of `line` (1-based) with Ctrl+G. */
  async goToLine(line: number, timeoutMs = 10_000): Promise<void> {
    await this.focusActiveEditor();
    await this.page.keyboard.press('Control+G');
    await this.quickInputType(String(line), timeoutMs);
    await this.page.keyboard.press('Enter');
    await this.waitFor(this.quickInput, 'Go to Line to close', timeoutMs, 'hidden');
  }

  /** Gives the first editor group the keyboard focus (after a webview or panel had it). */
  async focusActiveEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+1');
  }

  /** Types like a user, one key at a time, so the editor's debounced providers fire. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 40 });
  }

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The content frame of the webview view or editor currently shown (its inner iframe). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Waits for `locator` to reach `state`, with a message naming `what`. */
  async waitFor(locator: Locator, what: string, timeoutMs: number, state: 'visible' | 'hidden' | 'attached' = 'visible'): Promise<void> {
    try {
      await locator.first().waitFor({ state, timeout: timeoutMs });
    } catch (error) {
      throw new WaitTimeoutError(what, timeoutMs, { cause: error });
    }
  }

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** A row of the open quick pick whose text contains `text`. */
  quickInputRow(text: string): Locator {
    return this.quickInput.locator('.monaco-list-row').filter({ hasText: text }).first();
  }

  /** Types into the open quick input (a pick's filter or an input box) and presses Enter. */
  async quickInputSubmit(text: string, timeoutMs = 10_000): Promise<void> {
    const input = this.quickInput.locator('.quick-input-box input');
    await this.waitFor(input, 'the quick input box', timeoutMs);
    await input.fill(text);
    await input.press('Enter');
  }

  /** A notification toast whose text matches. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  private async quickInputType(text: string, timeoutMs: number): Promise<void> {
    const input = this.quickInput.locator('.quick-input-box input');
    await this.waitFor(input, 'the quick input box', timeoutMs);
    // The command palette starts with ">" and Go to Line with ":", which must stay.
    const prefix = /^[>:]/.exec(await input.inputValue())?.[0] ?? '';
    await input.fill(`${prefix}${text}`);
  }

  private async quickInputPick(label: string, timeoutMs: number): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row').filter({ hasText: label }).first();
    await this.waitFor(row, `"${label}" in the quick input list`, timeoutMs);
    await row.click();
    await this.waitFor(this.quickInput, 'the quick input to close', timeoutMs, 'hidden');
  }
}
