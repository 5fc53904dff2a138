/**
 * The one contract between the VS Code extension (or any LSP client) and the sidecar:
 * request/notification types, params, results and error codes.
 */
export * from './methods';
export * from './initializationOptions';
export * from './generationConfigJson';
export * from './chatMessage';
export * from './errorCodes';
export * from './inputLimits';
export * from './downloadEvents';
export * from './formatBytes';
