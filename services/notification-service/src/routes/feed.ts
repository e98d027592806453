import { Router, type Request } from 'express';
import { NotificationFeedQuery as FeedQuery } from '@todo/contracts';
import { callerOf } from '@todo/service-kit';
import { deliveriesOf, feed, recent, type NotificationDeps } from '../domain/notifications.ts';

const userOf = (req: Request) => callerOf(req).userId;


export function feedRoutes(deps: NotificationDeps): Router {
  const router = Router();
  router.get('/notifications', async (req, res) => {
    const q = FeedQuery.parse(req.query);
    res.json(await feed(deps, userOf(req), q.after, q.limit));
  });
  router.get('/notifications/recent', async (req, res) => {
    res.json({ items: await recent(deps, userOf(req)) });
  });
  router.get('/notifications/:id/deliveries', async (req, res) => {
    res.json({ items: await deliveriesOf(deps, userOf(req), req.params.id) });
  });
  return router;
}
