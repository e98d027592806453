import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, TOPICS, deadLetterTopic } from '../src/index.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const created = readFileSync(path.join(root, 'tools/kafka/topics.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('names stay in step with the infrastructure', () => {
  it('every topic in the contracts is created up front on Kafka (with its dead-letter twin by infra.sh)', () => {
    for (const topic of Object.values(TOPICS)) expect(created).toContain(topic);
    expect(deadLetterTopic(TOPICS.taskEvents)).toBe('task-events.dlq');
  });

  it('every component name in the contracts is the metadata.name of a component file', () => {
    const names = ['components/kafka/pubsub.yaml', 'components/state/default/statestore.yaml', 'components/state/task-service/statestore.yaml', 'components/common/secretstore.yaml']
      .map((f) => (parse(readFileSync(path.join(root, f), 'utf8')) as { metadata: { name: string } }).metadata.name);
    for (const name of Object.values(COMPONENTS)) expect(names).toContain(name);
  });

  it('every declarative subscription dead-letters to <topic>.dlq', () => {
    const dir = path.join(root, 'components/common/subscriptions');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const sub = parse(readFileSync(path.join(dir, file), 'utf8'));
      expect(sub.spec.deadLetterTopic, file).toBe(`${sub.spec.topic}.dlq`);
      expect(created, file).toContain(sub.spec.topic);
    }
  });
});
