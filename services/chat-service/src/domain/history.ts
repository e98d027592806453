import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { updateWithEtag, type StateStore } from '@todo/dapr';

import { ChatAction, ChatMessage } from '@todo/contracts';

// The public shapes (contracts): what GET /api/chat/history answers is what is stored.
export { ChatAction };
export type ActionType = ChatAction['type'];
export const HistoryItem = ChatMessage;
export type HistoryItem = ChatMessage;
const History = z.array(HistoryItem);

export const HISTORY_LIMIT = 100;

/**
 * A user's conversation on the `statestore` component, one key per user (`history:<userId>`, which
 * daprd prefixes with `chat-service||`): an array of the last HISTORY_LIMIT messages, oldest first.
 */
export class ChatHistory {
  constructor(
    private readonly state: StateStore,
    private readonly newId: () => string = randomUUID,
  ) {}

  static key = (userId: string) => `history:${userId}`;

  async list(userId: string): Promise<HistoryItem[]> {
    return (await this.state.get(ChatHistory.key(userId), History))?.value ?? [];
  }

  /**
   * Appends with an etag compare-and-set (updateWithEtag): two messages from the same user in flight at
   * once (two tabs) both re-read and retry on a conflict instead of one overwriting the other's turn.
   */
  async append(userId: string, items: Array<Omit<HistoryItem, 'id'>>): Promise<HistoryItem[]> {
    const added = items.map((item) => ({ id: this.newId(), ...item }));
    await updateWithEtag(this.state, ChatHistory.key(userId), History, (current = []) => [...current, ...added].slice(-HISTORY_LIMIT));
    return added;
  }
}
