import { NotificationType } from 'vscode-languageserver-protocol';
import type { StatusInfo } from './status';

/** Server → client: the status changed (load progress, model, queue, last tokens/s). */
export const statusChangedNotification = new NotificationType<StatusInfo>('inkwell/statusChanged');
