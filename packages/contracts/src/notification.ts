import { z } from 'zod';
import { NOTIFICATION_KINDS } from './events.ts';

export const Notification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  taskId: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;
