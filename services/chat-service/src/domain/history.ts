import { randomUUID } from 'node:crypto';
import { EtagMismatchError, type StateStore } from '@todo/dapr';

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
   * Appends with an etag compare-and-set loop: two messages from the same user in flight at once (two
   * tabs) both re-read and retry on a conflict instead of one overwriting the other's turn.
   */
  async append(userId: string, items: Array<Omit<HistoryItem, 'id'>>): Promise<HistoryItem[]> {
    const key = ChatHistory.key(userId);
    const added = items.map((item) => ({ id: this.newId(), ...item }));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.state.get<HistoryItem[]>(key);
      const next = [...(current?.value ?? []), ...added].slice(-HISTORY_LIMIT);
      try {
        // The first message has no etag to compare with; first-write-wins keeps two firsts from colliding.
        if (!current) {
          if (await this.state.claim(key, next)) return added;
          continue;
        }
        await this.state.save(key, next, { etag: current.etag });
        return added;
      } catch (err) {
        if (!(err instanceof EtagMismatchError)) throw err;
      }
    }
    throw new EtagMismatchError(key);
  }
}
