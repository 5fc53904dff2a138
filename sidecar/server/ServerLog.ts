/** How urgent a log line is; the client shows it at that level (LSP window/logMessage types). */
export type LogLevel = 'info' | 'warn' | 'error';

/** The server's one log: features and the model host write through it. */
export type ServerLog = (line: string, level?: LogLevel) => void;
