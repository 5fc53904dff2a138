/**
 * The one contract between the VS Code extension (or any LSP client) and the sidecar:
 * request/notification types, params, results and error codes.
 */
export * from './types';
export * from './errorCodes';
export * from './inputLimits';
export * from './methods';
export * from './paramsSchemas';
export * from './downloadEvents';
export * from './formatBytes';
export * from './chatMessage';
