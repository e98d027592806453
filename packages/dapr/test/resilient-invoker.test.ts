import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DependencyTimeoutError, SidecarError, resilientInvoker, type InvokeRequest, type InvokeResponse } from '../src/index.ts';
import { FakeInvoker, jsonResponse } from '../src/fakes.ts';

const log = pino({ level: 'silent' });
const breaker = { consecutiveFailures: 6, halfOpenAfterMs: 200 };
const get: InvokeRequest = { method: 'GET', path: 'tasks' };
const post: InvokeRequest = { method: 'POST', path: 'tasks', body: {} };

/** task-service as a script: answers with whatever `next` says, counting the calls that reached it. */
function target() {
  const inner = new FakeInvoker();
  let next: () => InvokeResponse | Promise<InvokeResponse> = () => jsonResponse(200, {});
  inner.on('task-service', () => next());
  const reached = () => inner.calls.length;
  return { invoker: resilientInvoker(inner, log, breaker), answer: (f: typeof next) => { next = f; }, reached };
}

describe('resilientInvoker: the circuit breaker counts only server-side failures', () => {
  it('when a client sends 50 invalid requests and 50 for a missing id, then the circuit stays closed for everyone', async () => {
    const t = target();
    t.answer(() => jsonResponse(400, { status: 400 }));
    for (let i = 0; i < 50; i++) expect((await t.invoker.invoke('task-service', post)).status).toBe(400);
    t.answer(() => jsonResponse(404, { status: 404 }));
    for (let i = 0; i < 50; i++) expect((await t.invoker.invoke('task-service', get)).status).toBe(404);
    t.answer(() => jsonResponse(201, { id: 't' }));
    expect((await t.invoker.invoke('task-service', post)).status).toBe(201);
  });

  it('when callers cancel their calls, then the circuit stays closed', async () => {
    // As the adapter does: an invocation whose signal is aborted rejects with the abort.
    const inner = new FakeInvoker().on('task-service', (req) => {
      if (req.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return jsonResponse(200, {});
    });
    const invoker = resilientInvoker(inner, log, breaker);
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      controller.abort();
      await expect(invoker.invoke('task-service', { ...post, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect((await invoker.invoke('task-service', post)).status).toBe(200);
  });

  it('when the app answers 5xx six times in a row, then the circuit opens: calls fail at once without reaching it, and 5xx answers are still passed on before that', async () => {
    const t = target();
    t.answer(() => jsonResponse(500, { status: 500 }));
    for (let i = 0; i < 6; i++) expect((await t.invoker.invoke('task-service', post)).status).toBe(500);
    const reached = t.reached();
    await expect(t.invoker.invoke('task-service', post)).rejects.toBeInstanceOf(SidecarError);
    expect(t.reached()).toBe(reached);
  });

  it('when the app is unreachable or times out, then that counts; after halfOpenAfter one probe closes it again', async () => {
    const t = target();
    t.answer(() => { throw new DependencyTimeoutError('invoke task-service', 10); });
    for (let i = 0; i < 3; i++) await expect(t.invoker.invoke('task-service', post)).rejects.toBeInstanceOf(DependencyTimeoutError);
    t.answer(() => { throw new SidecarError('unreachable'); });
    for (let i = 0; i < 3; i++) await expect(t.invoker.invoke('task-service', post)).rejects.toBeInstanceOf(SidecarError);
    await expect(t.invoker.invoke('task-service', post)).rejects.toThrow(/circuit open/);
    t.answer(() => jsonResponse(200, {}));
    await new Promise((r) => setTimeout(r, breaker.halfOpenAfterMs + 50));
    expect((await t.invoker.invoke('task-service', post)).status).toBe(200);
    expect((await t.invoker.invoke('task-service', post)).status).toBe(200);
  });

  it('when a success comes between failures, then the count starts again (consecutive failures only)', async () => {
    const t = target();
    for (let round = 0; round < 3; round++) {
      t.answer(() => jsonResponse(503, {}));
      for (let i = 0; i < 5; i++) await t.invoker.invoke('task-service', post);
      t.answer(() => jsonResponse(200, {}));
      expect((await t.invoker.invoke('task-service', post)).status).toBe(200);
    }
  });

  it('when one app fails, then calls to another app are not affected (one circuit per target)', async () => {
    const inner = new FakeInvoker().on('task-service', () => jsonResponse(500, {})).on('chat-service', () => jsonResponse(200, {}));
    const invoker = resilientInvoker(inner, log, breaker);
    for (let i = 0; i < 6; i++) await invoker.invoke('task-service', post);
    await expect(invoker.invoke('task-service', post)).rejects.toBeInstanceOf(SidecarError);
    expect((await invoker.invoke('chat-service', post)).status).toBe(200);
  });
});

describe('resilientInvoker: retries', () => {
  it('when daprd cannot reach the app, then an idempotent call is tried again (3 attempts in all), a POST is not', async () => {
    const t = target();
    t.answer(() => { throw new SidecarError('unreachable'); });
    await expect(t.invoker.invoke('task-service', get)).rejects.toBeInstanceOf(SidecarError);
    expect(t.reached()).toBe(3);
    await expect(t.invoker.invoke('task-service', post)).rejects.toBeInstanceOf(SidecarError);
    expect(t.reached()).toBe(4);
  });

  it('when a call timed out, then it is not repeated (the first attempt may still be running)', async () => {
    const t = target();
    t.answer(() => { throw new DependencyTimeoutError('invoke task-service', 10); });
    await expect(t.invoker.invoke('task-service', get)).rejects.toBeInstanceOf(DependencyTimeoutError);
    expect(t.reached()).toBe(1);
  });
});
