import { Router } from 'express';
import { z } from 'zod';
import type { ServiceInvoker } from '@todo/dapr';
import { callerOf as actorOf, type Clock } from '@todo/service-kit';
import { TaskClient } from '../adapters/task-client.ts';
import { converse } from '../domain/converse.ts';
import type { ChatHistory } from '../domain/history.ts';

/** Body of POST /chat. Whitespace-only is allowed through: it gets the help reply, not a 400. */
export const ChatRequest = z.strictObject({ message: z.string().min(1).max(500) });

export interface ChatRouteDeps {
  invoker: ServiceInvoker;
  history: ChatHistory;
  clock: Clock;
}

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
    res.json({ items: await deps.history.list(actorOf(req).userId) });
  });

  return router;
}
