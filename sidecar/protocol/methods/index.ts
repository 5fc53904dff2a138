import { detectWatermarkRequest } from './detectWatermark';
import { generateRequest } from './generate';
import { generateProgressNotification } from './generateProgress';
import { getConfigRequest } from './getConfig';
import { loadModelRequest } from './loadModel';
import { nextTokenDistributionRequest } from './nextTokenDistribution';
import { presetsRequest } from './presets';
import { setConfigRequest } from './setConfig';
import { statusRequest } from './status';
import { statusChangedNotification } from './statusChanged';

/**
 * Every Inkwell request and notification, typed. Completions use the standard LSP 3.18
 * `textDocument/inlineCompletion`; these are the rest. Call them through these objects
 * (`client.sendRequest(InkwellRequests.generate, params)`), never by method string.
 */
export const InkwellRequests = {
  generate: generateRequest,
  nextTokenDistribution: nextTokenDistributionRequest,
  getConfig: getConfigRequest,
  setConfig: setConfigRequest,
  presets: presetsRequest,
  loadModel: loadModelRequest,
  status: statusRequest,
  detectWatermark: detectWatermarkRequest,
} as const;

export const InkwellNotifications = {
  status: statusChangedNotification,
  generateProgress: generateProgressNotification,
} as const;

export * from './detectWatermark';
export * from './generate';
export * from './generateProgress';
export * from './getConfig';
export * from './loadModel';
export * from './nextTokenDistribution';
export * from './presets';
export * from './setConfig';
export * from './status';
export * from './statusChanged';
