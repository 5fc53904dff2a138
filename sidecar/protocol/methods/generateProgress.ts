import { NotificationType } from 'vscode-languageserver-protocol';
import type { FinishReason } from './generate';

export interface GenerateProgress {
  readonly streamId: string;
  readonly sequence: number;
  readonly delta: string;
  readonly tokenId?: number;
  /** Set on the sequence's last notification. */
  readonly finishReason?: FinishReason;
}

/** Server → client: streamed tokens of an inkwell/generate request. */
export const generateProgressNotification = new NotificationType<GenerateProgress>('inkwell/generateProgress');
