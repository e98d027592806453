import { FakeInvoker, InMemoryStateStore, RecordingEventBus, jsonResponse } from '../src/fakes.ts';
import { describePortContracts } from './contract/ports.contract.ts';

// The fakes unit tests use, held to the same contract as the real adapter (tests/integration/ports-contract.test.ts).
describePortContracts('in-memory fakes', () => {
  const state = new InMemoryStateStore();
  const events = new RecordingEventBus();
  const invoker = new FakeInvoker().on('task-service', (req) => (req.path === 'healthz' ? jsonResponse(200, { status: 'ok' }) : jsonResponse(404, { status: 404 })));
  return {
    state,
    outboxState: state,
    events,
    invoker,
    runningApp: 'task-service',
    onTopic: async (topic, eventId) =>
      (topic === 'task-events' && state.outbox.some((e) => e.id === eventId)) ||
      events.published.some((p) => p.topic === topic && (p.event as { id?: string }).id === eventId),
  };
});
