// The API's shapes, as types only: taken from the contracts the services parse with (erased by esbuild,
// so none of zod reaches the browser). Values the console needs (enums) are in ../constants.ts, held
// to the contracts by a unit test.
export type { ChatAnswer, ChatMessage, Dashboard, DeadLetter, Notification, Task } from '@todo/contracts';

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** GET /api/notifications: `next` is always given — the cursor to poll with. */
export interface NotificationPage<T> {
  items: T[];
  next: string;
}
