/**
 * The messages between the panel's webview and the extension: one discriminated union per
 * direction. Pure types, imported by both sides (media/panel and extension/panel); each side
 * handles them in an exhaustive switch. The extension validates every WebviewMessage with zod
 * (extension/panel/webviewMessageSchema.ts) before trusting it.
 *
 * `seq` and `runId` are chosen by the webview and echoed back, so that it can drop answers to
 * requests it has since replaced.
 */
import type { ConfigState, FinishReason, GenerationConfigJson, NextTokenDistributionResult, Preset, StatusInfo } from '../../sidecar/protocol';

/** One field the sidecar rejected, by HF key (e.g. "temperature"). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Webview → extension. */
export type WebviewMessage =
  /** The script has loaded and listens: send config, presets and status. */
  | { readonly type: 'ready' }
  /** Validate and apply this (whole) generation config; on success it is saved to settings. */
  | { readonly type: 'setConfig'; readonly seq: number; readonly generation: GenerationConfigJson }
  | { readonly type: 'generate'; readonly runId: number; readonly prompt: string; readonly generation: GenerationConfigJson }
  | { readonly type: 'stopGenerate'; readonly runId: number }
  /** Next-token distribution for the prompt under the edited, not yet saved, config. */
  | { readonly type: 'distribution'; readonly seq: number; readonly prompt: string; readonly generation: GenerationConfigJson; readonly topN: number };

/** Extension → webview. */
export type ExtensionMessage =
  | { readonly type: 'config'; readonly state: ConfigState }
  | { readonly type: 'presets'; readonly presets: readonly Preset[] }
  | { readonly type: 'status'; readonly status: StatusInfo }
  /** A request the panel needs to start (config, presets, status) failed, e.g. no sidecar yet. */
  | { readonly type: 'loadFailed'; readonly what: 'config' | 'presets' | 'status'; readonly message: string }
  | { readonly type: 'configApplied'; readonly seq: number; readonly state: ConfigState }
  /** Not applied and not saved; fieldErrors names the fields when the sidecar did. */
  | { readonly type: 'configRejected'; readonly seq: number; readonly message: string; readonly fieldErrors: readonly FieldError[] }
  | { readonly type: 'generateDelta'; readonly runId: number; readonly sequence: number; readonly delta: string }
  | {
      readonly type: 'generateDone';
      readonly runId: number;
      readonly texts: readonly string[];
      /** Beam modes: each sequence's score, best first. */
      readonly scores?: readonly number[];
      readonly finishReason: FinishReason;
      readonly tokensPerSecond: number;
      readonly warnings: readonly string[];
    }
  /** cancelled: the user pressed Stop (not an error). */
  | { readonly type: 'generateFailed'; readonly runId: number; readonly message: string; readonly cancelled: boolean }
  | { readonly type: 'distribution'; readonly seq: number; readonly result: NextTokenDistributionResult }
  | { readonly type: 'distributionFailed'; readonly seq: number; readonly message: string; readonly fieldErrors: readonly FieldError[] };
