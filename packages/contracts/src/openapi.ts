import { z } from 'zod';
import {
  ChatAnswer, ChatHistoryPage, ChatRequest, DEAD_LETTER_ID_PATTERN, Dashboard, DeadLetter, DeadLetterListQuery, DeadLetterPage, Health,
  NotificationFeedQuery, NotificationPage, Problem, ReplayAccepted,
} from './api.ts';
import { Notification } from './notification.ts';
import { CreateTaskRequest, IF_MATCH_PATTERN, ListTasksQuery, PatchTaskRequest, TASK_ID_PATTERN, Task, TaskPage, UpcomingReminder } from './task.ts';
import { InsightsQuery, InsightsRebuildStatus, InsightsResponse } from './insights.ts';

/**
 * The public API as an OpenAPI 3.1 document, generated from the zod schemas the services parse with.
 *
 * Schemas come from zod 4's own JSON Schema output (`z.toJSONSchema`, draft 2020-12 — the dialect
 * OpenAPI 3.1 uses, so nothing is translated), not from a zod→OpenAPI library: there is no second
 * schema language to keep in step and no dependency. Requests are rendered as zod *accepts* them
 * (`io: 'input'`: a field with a default is optional), responses as services *produce* them
 * (`io: 'output'`: no undocumented field). What JSON Schema cannot say (remindAt ≤ dueAt, PATCH needs
 * at least one field) is in the schema's description and enforced by the same zod schema at run time.
 * The operations are listed below by hand, one per gateway route; a unit test fails when a route of the
 * gateway is missing here or an operation has no route, and the integration suite validates every real
 * response against this document.
 */

const defs = <T extends Record<string, z.ZodType>>(io: 'input' | 'output', schemas: T) => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  // Each would carry its own $schema/$id; in a components map they only get in the way.
  return Object.fromEntries(Object.entries(out).map(([id, s]) => {
    const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
    return [id, rest];
  }));
};

const inline = (schema: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** Query parameters of a strict zod object, one OpenAPI parameter per property. */
function queryParameters(schema: z.ZodObject) {
  const json = inline(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed JSON, an unknown field, a value out of range, or a cursor this list never gave out.',
  401: 'No token, or one that is invalid or expired.',
  403: 'The token has no admin role.',
  404: 'No such resource, or it belongs to another user.',
  405: 'The path exists but not with this method (`Allow` lists the methods it has).',
  409: 'Conflict: already in that state, or concurrent writes kept winning (try again).',
  412: 'If-Match names another version than the current one.',
  413: 'The body is over 64 KB.',
  415: 'The body is not JSON.',
  500: 'Unexpected error (a bug: logged with the trace id).',
  502: 'A service behind the gateway answered outside its contract.',
  503: 'A service behind the gateway, or its sidecar, is unavailable; retry after `Retry-After` seconds.',
  504: 'A service behind the gateway did not answer in time.',
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), {
    description: PROBLEM_TEXT[s]!,
    ...(s === 503 ? { headers: retryAfter } : {}),
    content: { 'application/problem+json': { schema: ref('Problem') } },
  }]));

/**
 * What any request can be answered before it reaches its route: a body that is not JSON (415), over
 * 64 KB (413) or malformed (400) is refused for every path — also one whose operation takes no body.
 */
const ANY = [400, 405, 413, 415];
/** What every authenticated operation can answer besides its own outcomes. */
const AUTHED = [...ANY, 401, 500, 502, 503, 504];

const idParam = (description: string, pattern: RegExp) => ({ name: 'id', in: 'path', required: true, description, schema: { type: 'string', pattern: pattern.source } });
const taskId = idParam('Task id (from `POST /api/tasks`). Anything not uuid-shaped names no task: 404.', TASK_ID_PATTERN);
const deadLetterId = idParam('Dead letter id (32 hex digits). Anything else: 404.', DEAD_LETTER_ID_PATTERN);
const etagHeader = { ETag: { description: 'The task version, quoted: send it back in If-Match.', schema: { type: 'string' } } };

const taskLinks = {
  GetCreatedTask: { operationId: 'getTask', parameters: { id: '$response.body#/id' } },
  PatchCreatedTask: { operationId: 'patchTask', parameters: { id: '$response.body#/id' } },
  CompleteCreatedTask: { operationId: 'completeTask', parameters: { id: '$response.body#/id' } },
  DeleteCreatedTask: { operationId: 'deleteTask', parameters: { id: '$response.body#/id' } },
};

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

export interface DocumentOptions {
  /** File names under /api/docs/ (the gateway's viewer assets), listed so a client or fuzzer can know them. */
  docsAssets?: string[];
}

const deadLetterLinks = {
  GetFirstDeadLetter: { operationId: 'getDeadLetter', parameters: { id: '$response.body#/items/0/id' } },
  ReplayFirstDeadLetter: { operationId: 'replayDeadLetter', parameters: { id: '$response.body#/items/0/id' } },
  DiscardFirstDeadLetter: { operationId: 'discardDeadLetter', parameters: { id: '$response.body#/items/0/id' } },
};

export function openApiDocument(options: DocumentOptions = {}): Record<string, unknown> {
  const requests = defs('input', { CreateTaskRequest, PatchTaskRequest, ChatRequest });
  const responses = defs('output', {
    Problem, Health, Task, TaskPage, Notification, NotificationPage, ChatAnswer, ChatHistoryPage,
    UpcomingReminder, Dashboard, DeadLetter, DeadLetterPage, ReplayAccepted, InsightsResponse, InsightsRebuildStatus,
  });
  (requests.CreateTaskRequest as Record<string, unknown>).description = 'A new task. `remindAt` must not be after `dueAt` when both are given (400 otherwise).';
  (requests.PatchTaskRequest as Record<string, unknown>).description = 'Any non-empty subset of the create fields; `null` clears an optional one. `remindAt` must not end up after `dueAt`.';
  (requests.PatchTaskRequest as Record<string, unknown>).minProperties = 1;

  return {
    openapi: '3.1.0',
    info: {
      title: 'Todo platform API',
      version: '1',
      description: [
        'Tasks, reminders, notifications, recurring tasks and chat, behind one gateway.',
        'Every `/api` route except health and these docs needs `Authorization: Bearer <JWT>` (HS256; `make token USER=alice` prints a development token).',
        'Errors are `application/problem+json`. Every response carries `x-request-id` and `x-trace-id` (the W3C trace id: search it in Zipkin and in the logs); send a `traceparent` header to join your own trace.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'this gateway' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'tasks' }, { name: 'notifications' }, { name: 'chat' }, { name: 'dashboard' }, { name: 'insights' },
      { name: 'admin', description: 'Dead letters and the insights rebuild; admin role required.' }, { name: 'meta', description: 'Health and these docs; no token.' },
    ],
    paths: {
      '/api/health': {
        get: {
          operationId: 'health', tags: ['meta'], security: [], summary: 'The gateway is up and its sidecar can serve calls.',
          responses: {
            200: { description: 'Ready.', content: json(ref('Health')) },
            503: { description: 'The sidecar is not ready.', headers: retryAfter, content: json(ref('Health')) },
            ...problems(...ANY),
          },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: 'openApiDocument', tags: ['meta'], security: [], summary: 'This document.',
          responses: { 200: { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) }, ...problems(...ANY) },
        },
      },
      [DOCS_PATH]: {
        get: {
          operationId: 'apiDocs', tags: ['meta'], security: [], summary: 'This document, rendered (Swagger UI, served by the gateway itself).',
          responses: { 200: { description: 'HTML page.', content: { 'text/html': { schema: { type: 'string' } } } }, ...problems(...ANY) },
        },
      },
      [`${DOCS_PATH}/{asset}`]: {
        get: {
          operationId: 'apiDocsAsset', tags: ['meta'], security: [], summary: "The viewer's scripts and styles.",
          parameters: [{ name: 'asset', in: 'path', required: true, schema: { type: 'string', ...(options.docsAssets ? { examples: options.docsAssets } : {}) } }],
          responses: {
            200: { description: 'A script, style sheet or image.', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'image/png': { schema: { type: 'string' } } } },
            ...problems(404, ...ANY),
          },
        },
      },
      '/api/tasks': {
        post: {
          operationId: 'createTask', tags: ['tasks'], summary: 'Create a task.',
          requestBody: { required: true, content: json(ref('CreateTaskRequest')) },
          responses: {
            201: { description: 'Created.', headers: { Location: { description: '/api/tasks/{id}', schema: { type: 'string' } } }, content: json(ref('Task')), links: taskLinks },
            ...problems(...AUTHED),
          },
        },
        get: {
          operationId: 'listTasks', tags: ['tasks'], summary: "A page of the caller's tasks, in creation order.",
          description: 'A filtered page may hold fewer than `limit` items (it looks at up to 1,000 tasks per call); follow `next` until it is null.',
          parameters: queryParameters(ListTasksQuery),
          responses: { 200: { description: 'A page.', content: json(ref('TaskPage')) }, ...problems(...AUTHED) },
        },
      },
      '/api/tasks/{id}': {
        get: {
          operationId: 'getTask', tags: ['tasks'], summary: 'One task.', parameters: [taskId],
          responses: { 200: { description: 'The task.', headers: etagHeader, content: json(ref('Task')) }, ...problems(404, ...AUTHED) },
        },
        patch: {
          operationId: 'patchTask', tags: ['tasks'], summary: 'Change some fields.',
          parameters: [taskId, { name: 'If-Match', in: 'header', required: false, description: 'The version the change is meant for (412 when the task is at another).', schema: { type: 'string', pattern: IF_MATCH_PATTERN.source } }],
          requestBody: { required: true, content: json(ref('PatchTaskRequest')) },
          responses: { 200: { description: 'The changed task.', headers: etagHeader, content: json(ref('Task')) }, ...problems(404, 409, 412, ...AUTHED) },
        },
        delete: {
          operationId: 'deleteTask', tags: ['tasks'], summary: 'Delete a task (its reminder is cancelled).', parameters: [taskId],
          responses: { 204: { description: 'Deleted.' }, ...problems(404, 409, ...AUTHED) },
        },
      },
      '/api/tasks/{id}/complete': {
        post: {
          operationId: 'completeTask', tags: ['tasks'], summary: 'Complete a task (a recurring one gets its next instance).', parameters: [taskId],
          responses: { 200: { description: 'The completed task.', content: json(ref('Task')) }, ...problems(404, 409, ...AUTHED) },
        },
      },
      '/api/notifications': {
        get: {
          operationId: 'listNotifications', tags: ['notifications'], summary: 'The notification feed, oldest first.',
          description: 'Pass `next` as `after` to receive only what arrived since.',
          parameters: queryParameters(NotificationFeedQuery),
          responses: { 200: { description: 'A page.', content: json(ref('NotificationPage')) }, ...problems(...AUTHED) },
        },
      },
      '/api/chat': {
        post: {
          operationId: 'chat', tags: ['chat'], summary: 'Say something: add / remind / every … / list / complete / delete.',
          requestBody: { required: true, content: json(ref('ChatRequest')) },
          responses: { 200: { description: 'The reply and what was done.', content: json(ref('ChatAnswer')) }, ...problems(...AUTHED) },
        },
      },
      '/api/chat/history': {
        get: {
          operationId: 'chatHistory', tags: ['chat'], summary: 'The last 100 messages, oldest first.',
          responses: { 200: { description: 'The conversation.', content: json(ref('ChatHistoryPage')) }, ...problems(...AUTHED) },
        },
      },
      '/api/dashboard': {
        get: {
          operationId: 'dashboard', tags: ['dashboard'], summary: 'Counts, upcoming reminders, recent notifications.',
          description: 'A partial answer, not an error, when a service is down: its part is null and it is named in `degraded`.',
          responses: { 200: { description: 'The dashboard.', content: json(ref('Dashboard')) }, ...problems(...AUTHED) },
        },
      },
      '/api/insights': {
        get: {
          operationId: 'insights', tags: ['insights'], summary: "The caller's insights read model (insights-service, a CQRS projection of task events).",
          parameters: queryParameters(InsightsQuery),
          responses: { 200: { description: 'The read model.', content: json(ref('InsightsResponse')) }, ...problems(...AUTHED) },
        },
      },
      '/api/admin/insights/rebuild': {
        post: {
          operationId: 'rebuildInsights', tags: ['admin'], summary: 'Rebuild the insights read model by replay, while the live one keeps serving.',
          responses: { 202: { description: 'Started (or already running).', content: json(ref('InsightsRebuildStatus')) }, ...problems(403, ...AUTHED) },
        },
        get: {
          operationId: 'insightsRebuildStatus', tags: ['admin'], summary: 'Where the last rebuild is.',
          responses: { 200: { description: 'The rebuild status.', content: json(ref('InsightsRebuildStatus')) }, ...problems(403, ...AUTHED) },
        },
      },
      '/api/admin/dead-letters': {
        get: {
          operationId: 'listDeadLetters', tags: ['admin'], summary: 'Dead letters (pending unless `status` says otherwise).',
          parameters: queryParameters(DeadLetterListQuery),
          responses: { 200: { description: 'A page.', content: json(ref('DeadLetterPage')), links: deadLetterLinks }, ...problems(403, ...AUTHED) },
        },
      },
      '/api/admin/dead-letters/{id}': {
        get: {
          operationId: 'getDeadLetter', tags: ['admin'], summary: 'One dead letter.', parameters: [deadLetterId],
          responses: { 200: { description: 'The dead letter.', content: json(ref('DeadLetter')) }, ...problems(403, 404, ...AUTHED) },
        },
        delete: {
          operationId: 'discardDeadLetter', tags: ['admin'], summary: 'Discard it (kept 30 days as history).', parameters: [deadLetterId],
          responses: { 204: { description: 'Discarded.' }, ...problems(403, 404, 409, ...AUTHED) },
        },
      },
      '/api/admin/dead-letters/{id}/replay': {
        post: {
          operationId: 'replayDeadLetter', tags: ['admin'], summary: 'Publish it again, unchanged, to its original topic.', parameters: [deadLetterId],
          responses: { 202: { description: 'Replayed.', content: json(ref('ReplayAccepted')) }, ...problems(403, 404, 409, ...AUTHED) },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT with sub, exp, iss and aud.' } },
      schemas: { ...requests, ...responses },
    },
  };
}
