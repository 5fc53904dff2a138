import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { HUB_MODEL_ID, SETTINGS_SECTION, SettingKeys } from './InkwellSettings';

/**
 * The settings that make Inkwell load files: a model folder holds a graph onnxruntime runs, a
 * tokenizer and a chat template. A cloned repository's .vscode/settings.json can set them, so a
 * workspace value counts only in a trusted workspace (package.json lists them as
 * restrictedConfigurations; this decides the same way, and says so).
 */
export const MODEL_PATH_SETTINGS: readonly string[] = [SettingKeys.modelFolder, SettingKeys.assistantModelFolder];

/** What `WorkspaceConfiguration.inspect(key)` reports, by scope. */
export interface InspectedSetting {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export interface ModelPathValue {
  /** The value to use; undefined means the setting's default. */
  readonly value: unknown;
  /** Why a value was not used, when one was not. */
  readonly ignored?: string;
}

export interface WorkspaceTrust {
  readonly trusted: boolean;
  /** The folder the sidecar runs in, where it resolves relative paths (the first workspace folder). */
  readonly workspaceFolder?: string;
  readonly exists?: (path: string) => boolean;
}

/**
 * The value of a model path setting. In a trusted workspace: as VS Code resolves it. In an
 * untrusted one: the user's own value, unless it is a relative path the sidecar would resolve in
 * the workspace (a Hub model id is one too when the workspace has a folder of that name), which
 * would load the workspace's files all the same.
 */
export function modelPathValue(key: string, inspected: InspectedSetting | undefined, workspace: WorkspaceTrust): ModelPathValue {
  const fromWorkspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  const user = inspected?.globalValue;
  if (workspace.trusted) return { value: fromWorkspace ?? user };
  const name = `${SETTINGS_SECTION}.${key}`;
  const why = 'this workspace is not trusted, and Inkwell loads model files from a workspace only with your consent';
  const trust = 'Trust the workspace to use it.';
  if (typeof user === 'string' && pointsIntoWorkspace(user, workspace)) {
    const also = fromWorkspace === undefined ? '' : ` (the workspace's own value ${JSON.stringify(fromWorkspace)} is ignored too)`;
    return { value: undefined, ignored: `${name}: your relative path ${JSON.stringify(user)} would be read from the workspace${also}; it is ignored because ${why}. Using the default. ${trust}` };
  }
  if (fromWorkspace === undefined) return { value: user };
  const using = user === undefined ? 'the default' : `your user setting ${JSON.stringify(user)}`;
  return { value: user, ignored: `${name} ${JSON.stringify(fromWorkspace)} from this workspace's settings is ignored because ${why}. Using ${using}. ${trust}` };
}

function pointsIntoWorkspace(path: string, workspace: WorkspaceTrust): boolean {
  const trimmed = path.trim();
  if (trimmed === '' || isAbsolute(trimmed)) return false;
  if (!HUB_MODEL_ID.test(trimmed)) return true;
  // The sidecar takes a folder of that name over the Hub cache, as from_pretrained does.
  return workspace.workspaceFolder !== undefined && (workspace.exists ?? existsSync)(join(workspace.workspaceFolder, trimmed.split('@')[0]!));
}
