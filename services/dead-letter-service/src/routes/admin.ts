import { Router, type Request } from 'express';
import { DeadLetterListQuery as ListQuery } from '@todo/contracts';
import { callerOf } from '@todo/service-kit';
import { discardDeadLetter, getDeadLetter, listDeadLetters, replayDeadLetter, type DeadLetterDeps } from '../domain/dead-letters.ts';

/** The gateway has already checked the admin role; the caller is kept for the audit trail. */
const actorOf = (req: Request): string => callerOf(req).userId;

export function adminRoutes(deps: DeadLetterDeps): Router {
  const router = Router();

  router.get('/dead-letters', async (req, res) => {
    actorOf(req);
    const query = ListQuery.parse(req.query);
    res.json(await listDeadLetters(deps, query));
  });

  router.get('/dead-letters/:id', async (req, res) => {
    actorOf(req);
    res.json(await getDeadLetter(deps, req.params.id));
  });

  router.post('/dead-letters/:id/replay', async (req, res) => {
    const replayed = await replayDeadLetter(deps, req.params.id, actorOf(req), req.log);
    res.status(202).json({ id: replayed.id, status: replayed.status });
  });

  router.delete('/dead-letters/:id', async (req, res) => {
    await discardDeadLetter(deps, req.params.id, actorOf(req), req.log);
    res.status(204).end();
  });

  return router;
}
