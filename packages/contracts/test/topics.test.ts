import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, TOPICS, deadLetterTopic } from '../src/index.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const created = readFileSync(path.join(root, 'tools/kafka/topics.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split(/\s+/)[0]!);

describe('names stay in step with the infrastructure', () => {
  it('every topic in the contracts is created up front on Kafka (with its dead-letter twin by infra.sh)', () => {
    for (const topic of Object.values(TOPICS)) expect(created).toContain(topic);
    expect(deadLetterTopic(TOPICS.taskEvents)).toBe('task-events.dlq');
  });

  it('every component name in the contracts is the metadata.name of a component file', () => {
    const names = ['components/kafka/pubsub.yaml', 'components/state/default/statestore.yaml', 'components/state/task-service/statestore.yaml', 'components/common/secretstore.yaml', 'components/common/reminder-cron.yaml']
      .map((f) => (parse(readFileSync(path.join(root, f), 'utf8')) as { metadata: { name: string } }).metadata.name);
    for (const name of Object.values(COMPONENTS)) expect(names).toContain(name);
  });

  it('every subscription to an app topic dead-letters to <topic>.dlq; dead-letter topics are read by dead-letter-service only', () => {
    const dir = path.join(root, 'components/common/subscriptions');
    const subs = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, parse(readFileSync(path.join(dir, f), 'utf8'))] as const);
    const dlqReaders = subs.filter(([, s]) => s.spec.topic.endsWith('.dlq'));
    expect(subs.length - dlqReaders.length).toBeGreaterThan(0);
    for (const [file, sub] of subs) {
      if (sub.spec.topic.endsWith('.dlq')) {
        expect(sub.spec.deadLetterTopic, file).toBeUndefined(); // nowhere further to go
        expect(sub.scopes, file).toEqual(['dead-letter-service']);
        expect(created, file).toContain(sub.spec.topic.replace(/\.dlq$/, ''));
      } else {
        expect(sub.spec.deadLetterTopic, file).toBe(`${sub.spec.topic}.dlq`);
        expect(created, file).toContain(sub.spec.topic);
      }
    }
    // Every dead-letter topic some subscription writes to is collected, and only those: `notifications`
    // and `recurring` have no subscriber in the platform (integration events for outside consumers),
    // so nothing can dead-letter there and a reader of their .dlq could never fire.
    const written = [...new Set(subs.flatMap(([, s]) => (s.spec.deadLetterTopic ? [s.spec.deadLetterTopic as string] : [])))].sort();
    expect(dlqReaders.map(([, s]) => s.spec.topic).sort()).toEqual(written);
    expect(written).toEqual([deadLetterTopic(TOPICS.taskEvents), deadLetterTopic(TOPICS.reminders)].sort());
  });
});
