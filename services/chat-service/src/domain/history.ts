import { randomUUID } from 'node:crypto';
import { updateWithEtag, type StateStore } from '@todo/dapr';

export type ActionType = 'created' | 'listed' | 'completed' | 'deleted' | 'none';
export interface ChatAction {
  type: ActionType;
  taskId?: string;
}

export interface HistoryItem {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  at: string;
  actions?: ChatAction[];
}

export const HISTORY_LIMIT = 100;
const MAX_ATTEMPTS = 10;

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
    return (await this.state.get<HistoryItem[]>(ChatHistory.key(userId)))?.value ?? [];
  }

  /**
   * Appends with an etag compare-and-set (updateWithEtag): two messages from the same user in flight at
   * once (two tabs) both re-read and retry on a conflict instead of one overwriting the other's turn.
   */
  async append(userId: string, items: Array<Omit<HistoryItem, 'id'>>): Promise<HistoryItem[]> {
    const added = items.map((item) => ({ id: this.newId(), ...item }));
    await updateWithEtag<HistoryItem[]>(this.state, ChatHistory.key(userId), (current = []) => [...current, ...added].slice(-HISTORY_LIMIT), { maxAttempts: MAX_ATTEMPTS });
    return added;
  }
}
