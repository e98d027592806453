import { Router, type Request } from 'express';
import { z } from 'zod';
import { SidecarError, type ServiceInvoker } from '@todo/dapr';
import { AppError, callerOf } from '@todo/service-kit';
import { converse, type Clock } from '../domain/converse.ts';
import type { ChatHistory } from '../domain/history.ts';
import { TaskClient, type Actor } from '../domain/task-client.ts';

/** Body of POST /chat. Whitespace-only is allowed through: it gets the help reply, not a 400. */
export const ChatRequest = z.strictObject({ message: z.string().min(1).max(500) });

export interface ChatRouteDeps {
  invoker: ServiceInvoker;
  history: ChatHistory;
  clock: Clock;
}

const actorOf = (req: Request): Actor => callerOf(req);

export function chatRoutes(deps: ChatRouteDeps): Router {
  const router = Router();

  router.post('/chat', async (req, res) => {
    const actor = actorOf(req);
    const { message } = ChatRequest.parse(req.body ?? {});
    const log = req.log.child({ userId: actor.userId, correlationId: actor.correlationId });
    const answer = await converse({ tasks: new TaskClient(deps.invoker, log), history: deps.history, clock: deps.clock, log }, actor, message);
    res.json(answer);
  });

  router.get('/chat/history', async (req, res) => {
    const { userId } = actorOf(req);
    try {
      res.json({ items: await deps.history.list(userId) });
    } catch (err) {
      if (err instanceof SidecarError) throw new AppError('service-unavailable', 503, 'chat history is unavailable', { cause: err });
      throw err;
    }
  });

  return router;
}
