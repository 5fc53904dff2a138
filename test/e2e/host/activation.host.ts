// Runs inside the extension host (see index.ts): the extension as VS Code sees it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'inkwell-dev.inkwell';

/** The extension contract's commands and the titles the command palette shows for them. */
const contractCommands = [
  'inkwell.openPanel',
  'inkwell.restartSidecar',
  'inkwell.selectModelFolder',
  'inkwell.downloadModel',
  'inkwell.exportGenerationConfig',
  'inkwell.importGenerationConfig',
  'inkwell.toggleCompletions',
  'inkwell.showLogs',
  'inkwell.detectWatermark',
  'inkwell.clearWatermarkHighlights',
];

const contractSettings = [
  'inkwell.modelFolder',
  'inkwell.device',
  'inkwell.completions.enabled',
  'inkwell.completions.debounceMs',
  'inkwell.completions.maxLines',
  'inkwell.completions.contextTokens',
  'inkwell.generationConfig',
  'inkwell.assistantModelFolder',
  'inkwell.completions.promptLookupTokens',
  'inkwell.watermark.enabled',
  'inkwell.watermark.key',
];

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

function inkwell(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed in this extension host`);
  return extension;
}

describe('activation', () => {
  it(`finds ${extensionId}`, () => {
    inkwell();
  });

  it('activates', async () => {
    const extension = inkwell();
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every contract command once active', async () => {
    await inkwell().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contractCommands.filter((command) => !registered.has(command)), [], 'commands not registered');
  });

  it('contributes every contract command to the palette, "Inkwell: Open Panel" among them', () => {
    const contributed: CommandContribution[] = inkwell().packageJSON.contributes?.commands ?? [];
    const titles = new Map(contributed.map((c) => [c.command, c.category ? `${c.category}: ${c.title}` : c.title]));
    assert.deepEqual(contractCommands.filter((command) => !titles.has(command)), [], 'commands missing from contributes.commands');
    assert.equal(titles.get('inkwell.openPanel'), 'Inkwell: Open Panel');
  });

  it('contributes every contract setting', () => {
    const configuration = inkwell().packageJSON.contributes?.configuration;
    const sections: { properties?: Record<string, unknown> }[] = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
    const declared = new Set(sections.flatMap((section) => Object.keys(section.properties ?? {})));
    assert.deepEqual(contractSettings.filter((setting) => !declared.has(setting)), [], 'settings missing from contributes.configuration');
  });

  it('contributes the inkwell.panel webview view in the inkwell view container', () => {
    const contributes = inkwell().packageJSON.contributes ?? {};
    const containers: { id: string }[] = contributes.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c) => c.id === 'inkwell'), 'no activity-bar view container "inkwell"');
    const views: { id: string; type?: string }[] = contributes.views?.inkwell ?? [];
    assert.ok(views.some((v) => v.id === 'inkwell.panel' && v.type === 'webview'), 'no webview view "inkwell.panel" in container "inkwell"');
  });
});
