import { describe, expect, it } from 'vitest';
import { describeProblem, isConflict, networkProblem, problemFromResponse } from '../src/api/problem.ts';

describe('problemFromResponse', () => {
  it('when the answer is problem+json, then it is taken as it is', () => {
    const body = { type: 'urn:todo:problem:validation-failed', title: 'Bad Request', status: 400, errors: [{ path: 'title', message: 'Too small' }] };
    expect(problemFromResponse(400, 'application/problem+json', JSON.stringify(body))).toEqual(body);
  });

  it('when a proxy answered an HTML page, then its status and text describe it', () => {
    const p = problemFromResponse(502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(p).toMatchObject({ status: 502, title: 'Bad Gateway', detail: '502 Bad Gateway' });
  });

  it('when the answer is empty or JSON that is not a problem, then the status still names it', () => {
    expect(problemFromResponse(503, null, '')).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503 });
    expect(problemFromResponse(418, 'application/json', '{"nope":1}')).toMatchObject({ status: 418, title: 'Error' });
    expect(problemFromResponse(400, 'application/json', '{not json')).toMatchObject({ status: 400, title: 'Bad Request' });
  });
});

describe('describeProblem', () => {
  it('when fields are wrong, then each is listed with its path', () => {
    const text = describeProblem({ type: 'urn:todo:problem:validation-failed', title: 'Bad Request', status: 400, detail: 'request is invalid', errors: [{ path: 'remindAt', message: 'remindAt must not be after dueAt' }, { path: '(body)', message: 'at least one field is required' }] });
    expect(text).toEqual({ heading: 'Bad Request (400)', detail: 'request is invalid', fields: ['remindAt: remindAt must not be after dueAt', 'at least one field is required'] });
  });

  it('when the version did not match (412), then it says someone changed the task and to reload', () => {
    const text = describeProblem({ type: 'urn:todo:problem:version-mismatch', title: 'Precondition Failed', status: 412, detail: 'task is at version 3, not 2' });
    expect(text.heading).toBe('Precondition Failed (412)');
    expect(text.hint).toMatch(/changed this task.*Reload/);
  });

  it('when the gateway cannot be reached, then the heading has no status number and the hint says to start the platform', () => {
    const text = describeProblem(networkProblem(new TypeError('Failed to fetch')));
    expect(text.heading).toBe('Network error');
    expect(text.detail).toContain('Failed to fetch');
    expect(text.hint).toContain('make run');
  });

  it.each([[401, /sign in again/], [403, /admin/], [503, /try again/]])('when the status is %i, then the hint says what to do', (status, hint) => {
    expect(describeProblem({ type: 'x', title: 'x', status }).hint).toMatch(hint);
  });
});

describe('isConflict', () => {
  it.each([
    [412, 'urn:todo:problem:version-mismatch', true],
    [409, 'urn:todo:problem:already-completed', true],
    [409, 'urn:todo:problem:conflict', true],
    [409, 'urn:todo:problem:not-replayable', false],
    [400, 'urn:todo:problem:validation-failed', false],
  ])('when the status is %i and the type %s, then %s', (status, type, expected) => {
    expect(isConflict({ type, title: 't', status })).toBe(expected);
  });
});
