// Local and cluster cannot drift. The chart reads its Dapr resources from components/ itself
// (helm/todo-platform/files/components is a symlink to it) and changes only what a cluster must; these
// tests prove the rendered resources say what components/ says — policies, retries, dead-letter topics,
// scopes, subscriptions, the cron schedule, the outbox settings — and allow exactly the declared
// differences. They also hold the chart to dapr.yaml (app-ids, ports, app health checks), to
// tools/kafka/topics.txt (topics, partitions, .dlq twins, the outbox staging topic), to the services'
// code (who invokes whom), and its README to values.yaml.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byKind, CHART, chartValues, PROFILES, render, ROOT, run, valuesFile, type K8sObject, yamlFile } from './support/k8s.ts';

interface Local {
  file: string;
  object: K8sObject;
}
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []));
}
const locals: Local[] = walk(path.join(ROOT, 'components')).map((f) => ({ file: path.relative(ROOT, f), object: parse(readFileSync(f, 'utf8')) as K8sObject }));

/** Local resources a cluster has no use for, and why. Anything else in components/ must be rendered. */
const LOCAL_ONLY: Record<string, string> = {
  'components/rabbitmq/broker-secrets.yaml': 'a local JSON-file secret store for the RabbitMQ account; in a cluster the Dapr operator resolves secretKeyRefs from Kubernetes Secrets',
};

/** Per rendered resource, the metadata entries a cluster may set differently (addresses and credentials). */
const ENVIRONMENT_METADATA: Record<string, string[]> = {
  'pubsub.kafka': ['brokers', 'authType', 'caCert', 'clientCert', 'clientKey', 'saslUsername', 'saslPassword', 'saslMechanism'],
  'pubsub.redis': ['redisHost', 'enableTLS', 'redisPassword'],
  'pubsub.rabbitmq': ['hostname', 'username', 'password'],
  'pubsub.mqtt3': ['url'],
  'state.redis': ['redisHost', 'enableTLS', 'redisPassword'],
  'bindings.http': ['url'],
};

const outboxStore = chartValues().outboxStoreName as string;
const rendered: Record<string, K8sObject[]> = Object.fromEntries(
  PROFILES.map((p) => [p, render({ files: [valuesFile(p)], set: ['notificationWebhookUrl=https://hooks.example.com/todo'] })]),
);
const daprKinds = new Set(['Component', 'Configuration', 'Resiliency', 'Subscription']);

/** The rendered counterpart of a local file (by its source annotation), in the profile that renders it. */
function counterpart(file: string): K8sObject | undefined {
  const profile = PROFILES.find((p) => file.startsWith(`components/${p}/`)) ?? 'kafka';
  return rendered[profile]!.find((o) => daprKinds.has(o.kind) && o.metadata.annotations?.['todo-platform/source'] === file);
}
const entries = (o: K8sObject) => new Map<string, any>((o.spec.metadata ?? []).map((m: any) => [m.name, m]));

describe('Dapr resources: components/ → chart', () => {
  it('files/components is the repository components/ folder itself (a symlink), not a copy', () => {
    const link = path.join(CHART, 'files/components');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(path.resolve(path.dirname(link), readlinkSync(link))).toBe(path.join(ROOT, 'components'));
  });

  it.each(locals.map((l) => [l.file, l] as const))('%s has its cluster counterpart or a reason why not', (file, local) => {
    if (LOCAL_ONLY[file]) {
      expect(counterpart(file)).toBeUndefined();
      return;
    }
    const cluster = counterpart(file);
    expect(cluster, `${file} is not rendered by the chart`).toBeDefined();
    const c = cluster!;
    const l = local.object;
    expect(c.kind).toBe(l.kind);
    expect(c.apiVersion).toBe(l.apiVersion);
    // The same name, except task-service's store: one namespace cannot hold two Components named statestore.
    expect(c.metadata.name).toBe(file === 'components/state/task-service/statestore.yaml' ? outboxStore : l.metadata.name);
    // The same scopes, always.
    expect(c.scopes).toEqual(l.scopes);

    if (l.kind === 'Resiliency' || l.kind === 'Subscription') {
      // Retries, timeouts, targets, topics, routes and dead-letter topics: identical.
      expect(c.spec).toEqual(l.spec);
    } else if (l.kind === 'Configuration') {
      // Without nameResolution (SQLite file locally, Kubernetes DNS in a cluster) and the tracing exporters
      // and sampling rate (a Zipkin on loopback locally; the cluster's collector and rate come from values).
      const { nameResolution: _local, tracing: localTracing, ...rest } = l.spec;
      const { tracing, ...clusterRest } = c.spec;
      expect(clusterRest).toEqual(rest);
      const { zipkin: _lz, otel: _lo, samplingRate: _ls, ...localTracingRest } = localTracing ?? {};
      const { zipkin: _cz, otel: _co, samplingRate: _cs, ...clusterTracingRest } = tracing ?? {};
      expect(clusterTracingRest).toEqual(localTracingRest);
      expect(tracing?.zipkin?.endpointAddress ?? '').not.toMatch(/127\.0\.0\.1|localhost/);
    } else if (l.metadata.name === 'secretstore') {
      // A JSON file locally, Kubernetes Secrets in a cluster: the same name and scopes, another type.
      expect(c.spec.type).toBe('secretstores.kubernetes');
    } else {
      expect(c.spec.type).toBe(l.spec.type);
      expect(c.spec.version).toBe(l.spec.version);
      const allowed = new Set(ENVIRONMENT_METADATA[l.spec.type] ?? []);
      const [le, ce] = [entries(l), entries(c)];
      for (const [name, entry] of le) {
        if (allowed.has(name)) expect(ce.has(name), `${file}: ${name} dropped`).toBe(true);
        else expect(ce.get(name), `${file}: ${name}`).toEqual(entry);
      }
      for (const name of ce.keys()) if (!le.has(name)) expect(allowed, `${file}: ${name} added by the chart`).toContain(name);
      // The order of the local file is kept (it reads like the file).
      expect([...ce.keys()].filter((n) => le.has(n))).toEqual([...le.keys()]);
    }
  });

  it('the cron schedule, the outbox settings and the dead-letter topics are the local ones', () => {
    const kafka = rendered.kafka!;
    const meta = (o: K8sObject) => Object.fromEntries(o.spec.metadata.map((m: any) => [m.name, m.value]));
    const cron = kafka.find((o) => o.metadata.name === 'reminder-cron')!;
    expect(meta(cron).schedule).toBe(meta(locals.find((l) => l.file === 'components/common/reminder-cron.yaml')!.object).schedule);
    const outbox = kafka.find((o) => o.metadata.name === outboxStore)!;
    const localOutbox = meta(locals.find((l) => l.file === 'components/state/task-service/statestore.yaml')!.object);
    for (const key of ['outboxPublishPubsub', 'outboxPublishTopic', 'outboxDiscardWhenMissingState']) expect(meta(outbox)[key], key).toBe(localOutbox[key]);
    const dlq = (objs: K8sObject[]) => objs.map((s) => `${s.metadata.name}:${s.spec.topic}→${s.spec.deadLetterTopic ?? '-'}`).sort();
    expect(dlq(byKind(kafka, 'Subscription'))).toEqual(dlq(locals.map((l) => l.object).filter((o) => o.kind === 'Subscription')));
  });

  it('no rendered resource keeps a local address', () => {
    for (const profile of PROFILES) {
      const text = JSON.stringify(rendered[profile]!.filter((o) => daprKinds.has(o.kind)));
      expect(text, profile).not.toMatch(/127\.0\.0\.1|localhost|\.run\//);
    }
  });
});

describe('dapr.yaml → chart', () => {
  const devRun = yamlFile<{ apps: Array<Record<string, any>> }>('dapr.yaml');
  const values = chartValues();
  it('the same app-ids and ports', () => {
    expect(Object.keys(values.services).sort()).toEqual(devRun.apps.map((a) => a.appID).sort());
    for (const app of devRun.apps) expect(values.services[app.appID].appPort, app.appID).toBe(app.appPort);
  });
  it('app health checks on the same apps with the same settings', () => {
    for (const app of devRun.apps) {
      expect(values.services[app.appID].appHealthCheck, app.appID).toBe(app.enableAppHealthCheck === true);
      if (app.enableAppHealthCheck) {
        expect(values.dapr.appHealthCheck).toEqual({
          path: app.appHealthCheckPath,
          probeIntervalSeconds: app.appHealthProbeInterval,
          probeTimeoutMilliseconds: app.appHealthProbeTimeout,
          threshold: app.appHealthThreshold,
        });
      }
    }
  });
});

describe("the services' code → NetworkPolicy callers", () => {
  it('invokedBy lists exactly the services whose code names the app-id (service invocation)', () => {
    const names = readFileSync(path.join(ROOT, 'packages/contracts/src/names.ts'), 'utf8');
    const ids = Object.fromEntries([...names.matchAll(/^\s+(\w+): '([a-z-]+)',$/gm)].filter(([, , v]) => v!.match(/service$|^gateway$/)).map(([, k, v]) => [k!, v!]));
    const values = chartValues();
    const callersInCode: Record<string, string[]> = {};
    for (const caller of Object.keys(values.services)) {
      const files = readdirRecursive(path.join(ROOT, 'services', caller, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('/main.ts'));
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const [, key] of text.matchAll(/APP_IDS\.(\w+)/g)) {
        const callee = ids[key!];
        if (!callee || callee === caller) continue;
        const callers = (callersInCode[callee] ??= []);
        if (!callers.includes(caller)) callers.push(caller);
      }
    }
    for (const [callee, svc] of Object.entries<any>(values.services)) {
      expect([...svc.invokedBy].sort(), `services.${callee}.invokedBy`).toEqual((callersInCode[callee] ?? []).sort());
    }
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? readdirRecursive(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('tools/kafka/topics.txt → the topic Job', () => {
  const lines = readFileSync(path.join(ROOT, 'tools/kafka/topics.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => l.trim().split(/\s+/));
  const values = chartValues();

  it('values list the same topics, partitions and outbox staging topics', () => {
    const local = lines.filter(([t]) => !t!.endsWith('outbox')).map(([t, n, c]) => `${t}:${n ?? 'default'}:${(c ?? '').split(',').filter(Boolean).sort().join(',')}`);
    const configsOf = (t: any) => Object.entries(t.configs ?? {}).map(([k, v]) => `${k}=${String(v)}`).sort().join(',');
    expect(values.topics.app.map((t: any) => `${t.name}:${t.partitions ?? 'default'}:${configsOf(t)}`)).toEqual(local);
    // "<namespace><app-id><topic>outbox": the local namespace is "default".
    const outbox = lines.filter(([t]) => t!.endsWith('outbox')).map(([t, n]) => `${t}:${n}`);
    expect(values.topics.outbox.map((o: any) => `default${o.appId}${o.topic}outbox:${o.partitions}`)).toEqual(outbox);
  });

  it('the Job creates what scripts/infra.sh creates locally, in the release namespace', () => {
    // scripts/infra.sh topics(): every topic with its count (default 3), plus "<topic>.dlq" at the default
    // count for every topic that is not an outbox staging topic.
    const infra = readFileSync(path.join(ROOT, 'scripts/infra.sh'), 'utf8');
    const defaultPartitions = Number(/KAFKA_PARTITIONS="\$\{KAFKA_PARTITIONS:-(\d+)\}"/.exec(infra)![1]);
    expect(values.topics.defaultPartitions).toBe(defaultPartitions);
    const sortedConfigs = (c: string | undefined) => (c ?? '').split(',').filter(Boolean).sort().join(',');
    const expected = lines.flatMap(([t, n, c]) => {
      const name = t!.replace(/^default/, 'shop');
      return t!.endsWith('outbox') ? [`${name}:${n}:`] : [`${name}:${n ?? defaultPartitions}:${sortedConfigs(c)}`, `${name}.dlq:${defaultPartitions}:`];
    });
    const job = byKind(render({ namespace: 'shop' }), 'Job')[0]!;
    const args = job.spec.template.spec.containers[0].args as string[];
    expect(args.slice(2).sort()).toEqual(expected.sort());
  });
});

describe('chart documentation', () => {
  it('README.md parameter tables are generated from values.yaml (no drift)', () => {
    const r = run(process.execPath, [path.join(ROOT, 'tools/helm/readme.mjs'), '--check']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('every value in values.yaml is documented by an @param (its own or an ancestor’s), every @param exists, and the schema knows it', () => {
    const text = readFileSync(path.join(CHART, 'values.yaml'), 'utf8');
    const params = [...text.matchAll(/^\s*## @param\s+(\S+)\s/gm)].map((m) => m[1]!);
    const values = parse(text);
    const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8'));
    const leaves: string[] = [];
    const visit = (v: unknown, at: string[]) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) for (const [k, x] of Object.entries(v)) visit(x, [...at, k]);
      else leaves.push(at.join('.'));
    };
    visit(values, []);
    const documented = (leaf: string) => params.some((p) => leaf === p || leaf.startsWith(`${p}.`));
    expect(leaves.filter((l) => !documented(l))).toEqual([]);
    const at = (o: any, dotted: string) => dotted.split('.').reduce((v, k) => (v && typeof v === 'object' && k in v ? v[k] : undefined), o);
    expect(params.filter((p) => at(values, p) === undefined)).toEqual([]);
    const inSchema = (p: string) => p.split('.').reduce<any>((s, k) => s?.properties?.[k], schema);
    expect(params.filter((p) => !inSchema(p))).toEqual([]);
  });
});
