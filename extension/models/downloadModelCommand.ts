import * as vscode from 'vscode';
import { formatBytes, type DownloadEvent } from '../../sidecar/protocol';
import { HUB_MODEL_ID } from '../settings/InkwellSettings';
import type { SettingsStore } from '../settings/SettingsStore';
import type { InkwellCli } from './InkwellCli';
import { MODEL_CATALOGUE } from './modelCatalogue';

export interface DownloadModelDeps {
  readonly cli: InkwellCli;
  readonly settings: SettingsStore;
  readonly outputChannel: vscode.LogOutputChannel;
}

type Variants = Extract<DownloadEvent, { event: 'variants' }>;
type Failure = Extract<DownloadEvent, { event: 'error' }>;

/**
 * "Inkwell: Download Model…": pick a model (the catalogue or any repo id), see each dtype's size
 * against the free space, download it into the Hugging Face cache with progress and Cancel, then
 * use it. `repoId` skips the first pick (the e2e tests and other commands pass it).
 */
export async function downloadModelCommand(deps: DownloadModelDeps, repoId?: string): Promise<void> {
  const repo = repoId ?? (await pickRepo());
  if (repo === undefined) return;

  // Set by the CLI's events (in callbacks, so held in objects that type-narrowing leaves alone).
  const listing: { variants?: Variants; failure?: Failure } = {};
  const listed = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Inkwell: asking the Hub what ${repo} has…`, cancellable: true },
    (_progress, token) =>
      deps.cli.run(['download', repo, '--list', '--json'], (e) => {
        if (e.event === 'variants') listing.variants = e;
        if (e.event === 'error') listing.failure = e;
      }, token),
  );
  if (listed.code === 130) return;
  if (!listing.variants) {
    void vscode.window.showErrorMessage(`Inkwell: ${listing.failure?.message ?? `could not list ${repo} (${listed.stderrTail || `exit ${String(listed.code)}`})`}`);
    return;
  }
  const dtype = await pickDtype(listing.variants);
  if (dtype === undefined) return;

  const outcome: { done?: Extract<DownloadEvent, { event: 'done' }>; failure?: Failure } = {};
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${repo} (${dtype})`, cancellable: true },
    (progress, token) => {
      let total = 0;
      let shown = 0;
      return deps.cli.run(['download', repo, '--dtype', dtype, '--json'], (e) => {
        if (e.event === 'plan') {
          total = e.downloadBytes;
          progress.report({ message: `${formatBytes(e.totalBytes)} in ${e.files.length} files${e.downloadBytes < e.totalBytes ? `, ${formatBytes(e.downloadBytes)} to fetch` : ''}` });
        } else if (e.event === 'progress' && e.file !== '' && total > 0) {
          const percent = (100 * e.bytes) / total;
          const eta = e.etaSeconds === null ? '' : ` · ${Math.ceil(e.etaSeconds)} s left`;
          progress.report({ increment: Math.max(0, percent - shown), message: `${formatBytes(e.bytes)} of ${formatBytes(e.totalBytes)} · ${formatBytes(e.bytesPerSecond)}/s${eta}` });
          shown = Math.max(shown, percent);
        } else if (e.event === 'done') {
          outcome.done = e;
        } else if (e.event === 'error') {
          outcome.failure = e;
        }
      }, token);
    },
  );
  const { done, failure } = outcome;
  if (run.code === 130 || failure?.code === 'cancelled') {
    void vscode.window.showInformationMessage(`Inkwell: the download of ${repo} was cancelled. The partial file stays in the cache: downloading it again resumes where it stopped.`);
    return;
  }
  if (!done) {
    deps.outputChannel.error(`download ${repo} (${dtype}) failed: ${failure?.message ?? run.stderrTail}`);
    void vscode.window.showErrorMessage(`Inkwell: ${failure?.message ?? `the download of ${repo} failed (${run.stderrTail || `exit ${String(run.code)}`})`}`);
    return;
  }
  deps.outputChannel.info(`downloaded ${repo}@${done.commit} (${done.dtype}) to ${done.path}: ${formatBytes(done.downloadedBytes)} in ${done.seconds.toFixed(1)} s`);
  const use = 'Use This Model';
  const choice = await vscode.window.showInformationMessage(`Inkwell: ${repo} (${done.dtype}) is downloaded (${formatBytes(done.downloadedBytes)} fetched).`, use);
  if (choice === use) await deps.settings.setModelFolder(repo);
}

const ENTER_REPO = '$(edit) Enter a repo id…';

async function pickRepo(): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { repoId?: string })[] = [
    ...MODEL_CATALOGUE.map((m) => ({
      label: m.repoId,
      description: `${m.parameters} · ${m.fim}`,
      detail: `${m.contextTokens.toLocaleString('en-US')}-token context · ${m.license} · ${m.note}`,
      repoId: m.repoId,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: ENTER_REPO, detail: 'Any Hub model with an ONNX export (onnx/model*.onnx), as org/name or org/name@revision' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Inkwell: Download a model from the Hugging Face Hub', placeHolder: 'Pick a model; the sizes per dtype come next', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.repoId) return picked.repoId;
  const typed = await vscode.window.showInputBox({
    title: 'Inkwell: Download a model from the Hugging Face Hub',
    prompt: 'A Hub repo id: org/name, or org/name@revision',
    placeHolder: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct',
    validateInput: (v) => (HUB_MODEL_ID.test(v.trim()) ? undefined : 'Expected org/name or org/name@revision (letters, digits, "-", "_", ".")'),
  });
  return typed?.trim() || undefined;
}

async function pickDtype(variants: Variants): Promise<string | undefined> {
  const items = variants.variants.map((v, i) => {
    const fits = v.bytes <= variants.freeBytes;
    return {
      label: v.dtype,
      description: `${formatBytes(v.bytes)}${i === 0 ? ' · recommended' : ''}`,
      detail: fits ? `${v.files} files` : `$(warning) not enough space: ${formatBytes(variants.freeBytes)} free in ${variants.cacheDir}`,
      dtype: v.dtype,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Inkwell: ${variants.repoId} — which dtype?`,
    placeHolder: `${formatBytes(variants.freeBytes)} free in ${variants.cacheDir}`,
  });
  return picked?.dtype;
}
