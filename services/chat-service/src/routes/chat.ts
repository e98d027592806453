import { Router } from 'express';
import { ChatRequest } from '@todo/contracts';
import type { ServiceInvoker } from '@todo/dapr';
import { callerOf as actorOf, type Clock } from '@todo/service-kit';
import { TaskClient } from '../adapters/task-client.ts';
import { converse } from '../domain/converse.ts';
import type { ChatHistory } from '../domain/history.ts';

export { ChatRequest };

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
