import * as vscode from 'vscode';
import { formatBytes } from '../../sidecar/protocol';
import type { SettingsStore } from '../settings/SettingsStore';
import type { InkwellCli } from './InkwellCli';

interface CachedModel {
  readonly reference: string;
  readonly dtypes: readonly string[];
  readonly modelType: string;
  readonly bytes: number;
}

type Choice = vscode.QuickPickItem & { readonly action?: 'default' | 'browse' | 'download'; readonly reference?: string };

/**
 * "Inkwell: Select Model…": the bundled default, the models in the Hugging Face cache that
 * Inkwell can load (`inkwell models`: whoever downloaded them), a folder on disk, or a download.
 * Writes inkwell.modelFolder; SettingsSync then asks the sidecar to load it.
 */
export async function selectModelCommand(deps: { cli: InkwellCli; settings: SettingsStore; download: () => Thenable<unknown> }): Promise<void> {
  const current = deps.settings.read().modelFolder;
  const mark = (selected: boolean) => (selected ? '$(check) ' : '');
  const cached = await cachedModels(deps.cli);
  const items: Choice[] = [
    { label: `${mark(current === '')}Bundled default`, description: 'small, trained by Inkwell; works offline', action: 'default' },
    { label: 'In the Hugging Face cache', kind: vscode.QuickPickItemKind.Separator },
    ...cached.models.map((m) => ({
      label: `${mark(current === m.reference)}${m.reference}`,
      description: `${m.dtypes.join(', ')} · ${formatBytes(m.bytes)}`,
      detail: m.modelType,
      reference: m.reference,
    })),
    ...(cached.models.length === 0 ? [{ label: '$(info) none yet', description: cached.note }] : []),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(folder-opened) Browse for a model folder…', action: 'browse' },
    { label: '$(cloud-download) Download a model…', action: 'download' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Inkwell: Select Model', placeHolder: current === '' ? 'Using the bundled default' : `Using ${current}`, matchOnDescription: true });
  if (!picked) return;
  if (picked.reference) return void (await deps.settings.setModelFolder(picked.reference));
  if (picked.action === 'default') return void (await deps.settings.setModelFolder(''));
  if (picked.action === 'download') return void (await deps.download());
  if (picked.action === 'browse') {
    const folder = await vscode.window.showOpenDialog({
      title: 'Select a model folder (Hugging Face / onnx-community layout)',
      openLabel: 'Use this model',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
    });
    if (folder?.[0]) await deps.settings.setModelFolder(folder[0].fsPath);
  }
}

async function cachedModels(cli: InkwellCli): Promise<{ models: readonly CachedModel[]; note: string }> {
  try {
    const run = await cli.runJson(['models', '--json']);
    const json = run.json as { cacheDir?: unknown; models?: unknown } | undefined;
    if (run.code !== 0 || !Array.isArray(json?.models)) return { models: [], note: `could not read the cache: ${run.stderrTail || `exit ${String(run.code)}`}` };
    return { models: json.models as CachedModel[], note: `no model Inkwell can load in ${String(json.cacheDir)}` };
  } catch (error) {
    return { models: [], note: `could not read the cache: ${(error as Error).message}` };
  }
}
