import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@todo/contracts';
import { OpenApiValidator } from '../support/openapi.ts';

// The guard the integration suite puts on every response (tests/support/openapi.ts) can fail.
const validator = new OpenApiValidator(openApiDocument() as unknown as ConstructorParameters<typeof OpenApiValidator>[0]);
const ID = '0b8f6c1e-1a2b-4c3d-8e9f-0123456789ab';
const task = {
  id: ID, userId: 'alice', title: 't', description: null, priority: 'medium', tags: [], dueAt: null, remindAt: null, recurrence: null,
  status: 'open', createdAt: 'x', updatedAt: 'x', completedAt: null, seriesId: null, version: 1,
};
const problem = { type: 'urn:todo:problem:not-found', title: 'Not Found', status: 404 };

describe('OpenApiValidator', () => {
  it('accepts documented answers', () => {
    expect(validator.check('GET', `/api/tasks/${ID}`, 200, 'application/json; charset=utf-8', task)).toEqual([]);
    expect(validator.check('GET', `/api/tasks/${ID}`, 404, 'application/problem+json', problem)).toEqual([]);
    expect(validator.check('DELETE', `/api/tasks/${ID}`, 204, null, undefined)).toEqual([]);
    expect(validator.check('GET', '/api/tasks?status=open', 200, 'application/json', { items: [task], next: null })).toEqual([]);
    expect(validator.check('GET', '/api/nowhere', 404, 'application/problem+json', problem)).toEqual([]);
  });

  it('refuses a body outside the schema, an undocumented field, status or content type, and a non-problem error', () => {
    const { version: _v, ...noVersion } = task;
    expect(validator.check('GET', `/api/tasks/${ID}`, 200, 'application/json', noVersion)[0]).toMatch(/body does not match/);
    expect(validator.check('GET', `/api/tasks/${ID}`, 200, 'application/json', { ...task, secret: 1 })[0]).toMatch(/body does not match/);
    expect(validator.check('GET', `/api/tasks/${ID}`, 418, 'application/problem+json', problem)[0]).toMatch(/not documented/);
    expect(validator.check('GET', `/api/tasks/${ID}`, 404, 'text/html', '<h1>404</h1>')[0]).toMatch(/content type/);
    expect(validator.check('GET', `/api/tasks/${ID}`, 404, 'application/problem+json', { title: 'x' })[0]).toMatch(/body does not match/);
    expect(validator.check('GET', '/api/nowhere', 404, 'text/plain', 'nope')[0]).toMatch(/not a documented operation/);
  });
});
