// Render tests: `helm lint --strict` and assertions on `helm template` output, for each broker profile and
// the feature scenarios in helm/todo-platform/ci/. No cluster needed.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byKind, CHART, chartValues, countByKind, lint, one, render, renderError, ROOT, type K8sObject, yamlFile } from './support/k8s.ts';

const scenarios = readdirSync(path.join(CHART, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .map((f) => f.replace(/-values\.yaml$/, ''))
  .sort();
const DAPR_KINDS = ['Component', 'Configuration', 'Resiliency', 'Subscription'];
const devRun = yamlFile<{ apps: Array<Record<string, any>> }>('dapr.yaml');
const localApp = (id: string) => devRun.apps.find((a) => a.appID === id)!;

const podOf = (d: K8sObject) => d.spec.template;
const annotationsOf = (d: K8sObject): Record<string, string> => podOf(d).metadata.annotations ?? {};
const appContainer = (d: K8sObject) => podOf(d).spec.containers.find((c: any) => c.name === 'app');
const envOf = (d: K8sObject): Array<{ name: string; value?: string; valueFrom?: any }> => appContainer(d).env ?? [];
const bytes = (q: string) => {
  const m = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/.exec(q)!;
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
};

describe.each(scenarios)('scenario %s', (scenario) => {
  const files = [path.join(CHART, 'ci', `${scenario}-values.yaml`)];
  const scenarioValues = yamlFile(`helm/todo-platform/ci/${scenario}-values.yaml`) ?? {};
  const objects = render({ files });
  const deployments = byKind(objects, 'Deployment');
  const secretsRendered = byKind(objects, 'Secret');
  const secretNames = new Set<string>();

  it('passes helm lint --strict', ({ task }) => {
    const r = lint({ files });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    task.meta.figures = { objects: objects.length, byKind: countByKind(objects) };
  });

  it('gives every Deployment its Dapr annotations, with the app-id, port and health checks of dapr.yaml', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(7);
    const configs = byKind(objects, 'Configuration').map((c) => c.metadata.name);
    for (const d of deployments) {
      const a = annotationsOf(d);
      const id = a['dapr.io/app-id']!;
      const local = localApp(id);
      expect(local, `${id} is an app of dapr.yaml`).toBeDefined();
      expect(a['dapr.io/enabled']).toBe('true');
      expect(a['dapr.io/app-port']).toBe(String(local.appPort));
      expect(appContainer(d).ports[0].containerPort).toBe(local.appPort);
      expect(configs).toContain(a['dapr.io/config']);
      for (const key of ['log-as-json', 'enable-metrics', 'metrics-port', 'graceful-shutdown-seconds', 'sidecar-cpu-request', 'sidecar-cpu-limit', 'sidecar-memory-request', 'sidecar-memory-limit', 'enable-native-sidecar', 'api-token-secret', 'app-token-secret', 'env']) {
        expect(a[`dapr.io/${key}`], `${d.metadata.name}: dapr.io/${key}`).toBeTruthy();
      }
      // GOMEMLIMIT below the sidecar's memory limit, by the configured percentage.
      const limit = bytes(a['dapr.io/sidecar-memory-limit']!);
      const gomem = /^GOMEMLIMIT=(\d+)MiB$/.exec(a['dapr.io/env']!);
      expect(gomem, a['dapr.io/env']).not.toBeNull();
      const percent = (scenarioValues.dapr?.goMemLimitPercent ?? chartValues().dapr.goMemLimitPercent) / 100;
      expect(Number(gomem![1])).toBe(Math.floor((limit * percent) / 1024 ** 2));
      // App health checks exactly where and as dapr.yaml has them (subscribers only, same settings).
      if (local.enableAppHealthCheck) {
        expect(a['dapr.io/enable-app-health-check']).toBe('true');
        expect(a['dapr.io/app-health-check-path']).toBe(local.appHealthCheckPath);
        expect(a['dapr.io/app-health-probe-interval']).toBe(String(local.appHealthProbeInterval));
        expect(a['dapr.io/app-health-probe-timeout']).toBe(String(local.appHealthProbeTimeout));
        expect(a['dapr.io/app-health-threshold']).toBe(String(local.appHealthThreshold));
      } else {
        expect(a['dapr.io/enable-app-health-check'], `${id} has no app health check in dapr.yaml`).toBeUndefined();
      }
      const sidecarImage = scenarioValues.dapr?.sidecarImage;
      expect(a['dapr.io/sidecar-image']).toBe(sidecarImage || undefined);
      expect(a['dapr.io/enable-native-sidecar']).toBe(String(scenarioValues.dapr?.enableNativeSidecar ?? false));
    }
  });

  it('runs the apps as uid 1000 on a read-only root file system, no privileges, with probes', () => {
    for (const d of deployments) {
      const pod = podOf(d).spec;
      const c = appContainer(d);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(c.image).toMatch(/^[^:@\s]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  it('scopes every Dapr resource, to app-ids that exist', () => {
    const apps = new Set(deployments.map((d) => annotationsOf(d)['dapr.io/app-id']));
    const dapr = objects.filter((o) => DAPR_KINDS.includes(o.kind) && o.kind !== 'Configuration');
    expect(dapr.length).toBeGreaterThan(8);
    for (const o of dapr) {
      expect(o.scopes?.length, `${o.kind} ${o.metadata.name} has scopes`).toBeGreaterThan(0);
      for (const s of o.scopes) expect(apps, `${o.kind} ${o.metadata.name}: scope ${s}`).toContain(s);
    }
    // The cron binding belongs to reminder-service alone: every scoped app would run its own timer.
    expect(one(objects, 'Component', 'reminder-cron').scopes).toEqual(['reminder-service']);
  });

  it('has no plaintext secret: Secrets only generated, credentials only by secretKeyRef', () => {
    // 1. Env: anything secret-looking comes from a Secret (JWT_SECRET_NAME is a name, not a secret).
    for (const d of [...deployments, ...byKind(objects, 'Job')]) {
      for (const c of podOf(d).spec.containers) {
        for (const e of c.env ?? []) {
          if (/TOKEN|PASSWORD|PASS$|SECRET(?!_NAME)|^RPK_USER$/.test(e.name)) {
            expect(e.value, `${d.metadata.name}: env ${e.name} must come from a Secret`).toBeUndefined();
            expect(e.valueFrom?.secretKeyRef?.name, `${d.metadata.name}: env ${e.name}`).toBeTruthy();
          }
        }
      }
    }
    // 2. Dapr Components: credentials by secretKeyRef (resolved by the Dapr operator from Secrets).
    for (const c of byKind(objects, 'Component')) {
      for (const m of c.spec.metadata ?? []) {
        if (/password|secret|token|cert|clientkey|sasl(user|pass)|username/i.test(m.name)) {
          expect(m.value, `${c.metadata.name}: ${m.name} is a value`).toBeUndefined();
          expect(m.secretKeyRef?.name, `${c.metadata.name}: ${m.name}`).toBeTruthy();
        }
      }
    }
    // 3. Secrets: only the chart's own (random, kept), never stringData, never one named in values.
    for (const s of secretsRendered) {
      secretNames.add(s.metadata.name);
      expect(s.stringData).toBeUndefined();
      expect(s.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
      for (const v of Object.values<string>(s.data)) expect(Buffer.from(v, 'base64').toString()).toMatch(/^[A-Za-z0-9]{64}$/);
    }
    for (const existing of [scenarioValues.jwt?.existingSecret, scenarioValues.daprApiToken?.existingSecret, scenarioValues.appApiToken?.existingSecret]) {
      if (existing) expect(secretNames).not.toContain(existing);
    }
    // 4. The local run's secrets (random per checkout) never reach a rendered object.
    const local = ['.run/secrets.json', '.run/dev-tokens.json']
      .filter((f) => existsSync(path.join(ROOT, f)))
      .flatMap((f) => Object.values<unknown>(JSON.parse(readFileSync(path.join(ROOT, f), 'utf8'))))
      .filter((v): v is string => typeof v === 'string' && v.length >= 16);
    const text = JSON.stringify(objects);
    for (const v of local) expect(text.includes(v), 'a local dev secret appears in the rendered chart').toBe(false);
  });

  it('names the token Secrets the sidecars and apps use consistently', () => {
    for (const d of deployments) {
      const a = annotationsOf(d);
      const env = Object.fromEntries(envOf(d).map((e) => [e.name, e]));
      expect(env.DAPR_API_TOKEN!.valueFrom.secretKeyRef).toEqual({ name: a['dapr.io/api-token-secret'], key: 'token' });
      expect(env.APP_API_TOKEN!.valueFrom.secretKeyRef).toEqual({ name: a['dapr.io/app-token-secret'], key: 'token' });
    }
  });

  it('closes every service pod with a NetworkPolicy (both directions) and opens 50002 only to callers', () => {
    const policies = byKind(objects, 'NetworkPolicy');
    const values = chartValues();
    for (const d of deployments) {
      const match = d.spec.selector.matchLabels;
      const np = policies.find((p) => JSON.stringify(p.spec.podSelector.matchLabels) === JSON.stringify(match));
      expect(np, `NetworkPolicy for ${d.metadata.name}`).toBeDefined();
      expect(np!.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const id = annotationsOf(d)['dapr.io/app-id']!;
      const sidecarRule = (np!.spec.ingress ?? []).find((r: any) => r.ports?.some((p: any) => p.port === 50002));
      const callers = (values.services[id].invokedBy as string[]).filter((c) => values.services[c].enabled);
      if (callers.length === 0) expect(sidecarRule, `${id} is invoked by nobody`).toBeUndefined();
      else expect(sidecarRule.from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name']).sort()).toEqual([...callers].sort());
      // DNS and the Dapr control plane on every pod.
      const egressPorts = (np!.spec.egress as any[]).flatMap((r) => r.ports.map((p: any) => p.port));
      expect(egressPorts).toEqual(expect.arrayContaining([53, 50001, 6500]));
    }
  });

  it('renders no spec.replicas where an autoscaler owns them', () => {
    for (const d of deployments) {
      const id = annotationsOf(d)['dapr.io/app-id']!;
      const scaled = scenarioValues.services?.[id]?.autoscaling?.enabled ?? false;
      if (scaled) expect(d.spec, `${d.metadata.name} must leave replicas to the autoscaler`).not.toHaveProperty('replicas');
      else expect(typeof d.spec.replicas).toBe('number');
    }
  });

  it('exposes only the gateway through a Service', () => {
    const services = byKind(objects, 'Service');
    expect(services.length).toBeGreaterThanOrEqual(1);
    for (const s of services) expect(s.spec.selector['app.kubernetes.io/name']).toBe('gateway');
  });
});

describe('broker profiles', () => {
  const pubsub = (files: string) => one(render({ files: [path.join(CHART, 'ci', files)] }), 'Component', 'pubsub');
  const meta = (c: K8sObject) => Object.fromEntries(c.spec.metadata.map((m: any) => [m.name, m.value ?? m.secretKeyRef]));

  it('kafka: Redpanda without TLS for authType none (dev); SASL over TLS with secretKeyRefs for password', () => {
    const dev = pubsub('kafka-values.yaml');
    expect(dev.spec.type).toBe('pubsub.kafka');
    expect(meta(dev)).toMatchObject({ brokers: 'redpanda.redpanda.svc.cluster.local:9093', authType: 'none' });
    const prod = pubsub('kafka-production-values.yaml');
    expect(meta(prod)).toMatchObject({
      authType: 'password',
      saslMechanism: 'SHA-512',
      saslUsername: { name: 'redpanda-todo-user', key: 'username' },
      saslPassword: { name: 'redpanda-todo-user', key: 'password' },
      caCert: { name: 'redpanda-default-cert', key: 'ca.crt' },
    });
    expect(meta(pubsub('kafka-mtls-values.yaml'))).toMatchObject({ authType: 'mtls', clientCert: { name: 'redpanda-client-cert', key: 'tls.crt' } });
  });

  it('redis, rabbitmq, mqtt: their own component types and addresses', () => {
    expect(pubsub('redis-values.yaml').spec.type).toBe('pubsub.redis');
    expect(meta(pubsub('redis-values.yaml')).redisPassword).toEqual({ name: 'redis-streams-auth', key: 'redis-password' });
    const rabbit = pubsub('rabbitmq-values.yaml');
    expect(rabbit.spec.type).toBe('pubsub.rabbitmq');
    expect(rabbit.auth, 'the local file secret store is not used in a cluster').toBeUndefined();
    expect(meta(rabbit)).toMatchObject({ hostname: 'rabbitmq.messaging.svc.cluster.local:5672', username: { name: 'rabbitmq-account', key: 'username' } });
    expect(meta(pubsub('mqtt-values.yaml'))).toMatchObject({ url: 'tcp://mosquitto.messaging.svc.cluster.local:1883', consumerID: '{appID}' });
  });

  it('only the kafka profile creates topics, and its Job runs rpk as a non-root user', () => {
    for (const broker of ['redis', 'rabbitmq', 'mqtt']) expect(byKind(render({ files: [path.join(CHART, 'ci', `${broker}-values.yaml`)] }), 'Job')).toEqual([]);
    const job = one(render(), 'Job', 'todo-todo-platform-topics');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('post-install,pre-upgrade');
    expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(job.spec.template.spec.containers[0].image).toMatch(/^docker\.redpanda\.com\/redpandadata\/redpanda:v\d+\.\d+\.\d+$/);
    const prodJob = byKind(render({ files: [path.join(CHART, 'ci', 'kafka-production-values.yaml')] }), 'Job')[0]!;
    const env = Object.fromEntries(prodJob.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ RPK_TLS_ENABLED: 'true', RPK_SASL_MECHANISM: 'SCRAM-SHA-512', RPK_PASS: { secretKeyRef: { name: 'redpanda-todo-user', key: 'password' } } });
  });
});

describe('the secret reader', () => {
  const objects = render();
  it('only the apps in the secret store scopes get a service-account token, a Role on the one JWT Secret, and the JWT settings', () => {
    const store = one(objects, 'Component', 'secretstore');
    expect(store.spec.type).toBe('secretstores.kubernetes');
    const readers = store.scopes as string[];
    expect(readers).toEqual(['gateway']);
    for (const d of byKind(objects, 'Deployment')) {
      const id = annotationsOf(d)['dapr.io/app-id']!;
      expect(podOf(d).spec.automountServiceAccountToken, id).toBe(readers.includes(id));
      expect(envOf(d).some((e) => e.name === 'JWT_SECRET_NAME'), id).toBe(readers.includes(id));
      expect(annotationsOf(d)['dapr.io/disable-builtin-k8s-secret-store']).toBe('true');
    }
    const roles = byKind(objects, 'Role');
    expect(roles).toHaveLength(1);
    expect(roles[0]!.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['jwt-signing-key'], verbs: ['get'] }]);
    const jwt = one(objects, 'Secret', 'jwt-signing-key');
    expect(Object.keys(jwt.data), 'the key is named like the Secret (Dapr kubernetes secret store)').toEqual(['jwt-signing-key']);
  });
  it('tells task-service the name of its outbox store', () => {
    const task = byKind(objects, 'Deployment').find((d) => annotationsOf(d)['dapr.io/app-id'] === 'task-service')!;
    const store = one(objects, 'Component', chartValues().outboxStoreName);
    expect(store.scopes).toEqual(['task-service']);
    expect(envOf(task).find((e) => e.name === 'STATE_STORE_NAME')?.value).toBe(store.metadata.name);
  });
});

describe('blue/green and canary', () => {
  const objects = render({ files: [path.join(CHART, 'ci', 'bluegreen-values.yaml')] });
  const deployments = byKind(objects, 'Deployment');

  it('two Deployments per app-id with IDENTICAL selectors (one <app-id>-dapr Service follows both); the colour is a pod label only', () => {
    const byApp = new Map<string, K8sObject[]>();
    for (const d of deployments) {
      const id = annotationsOf(d)['dapr.io/app-id']!;
      byApp.set(id, [...(byApp.get(id) ?? []), d]);
    }
    expect(byApp.size).toBe(7);
    for (const [id, pair] of byApp) {
      expect(pair.map((d) => d.metadata.name).sort(), id).toEqual([`todo-todo-platform-${id}`, `todo-todo-platform-${id}-green`]);
      expect(pair[0]!.spec.selector).toEqual(pair[1]!.spec.selector);
      expect(JSON.stringify(pair[0]!.spec.selector)).not.toContain('colour');
      expect(pair.map((d) => podOf(d).metadata.labels['todo-platform/colour']).sort()).toEqual(['blue', 'green']);
    }
  });

  it('splits replicas by weight (ceil) and runs each colour on its own tag', () => {
    const gateway = (suffix: string) => one(objects, 'Deployment', `todo-todo-platform-gateway${suffix}`);
    expect(gateway('').spec.replicas).toBe(3); // ceil(4 × 75 %)
    expect(gateway('-green').spec.replicas).toBe(1); // ceil(4 × 25 %)
    expect(appContainer(gateway('')).image).toMatch(/:1\.4\.2$/);
    expect(appContainer(gateway('-green')).image).toMatch(/:1\.5\.0$/);
    const cutOver = render({ files: [path.join(CHART, 'ci', 'bluegreen-values.yaml')], set: ['blueGreen.blue.weight=0', 'blueGreen.green.weight=100'] });
    expect(one(cutOver, 'Deployment', 'todo-todo-platform-gateway').spec.replicas).toBe(0);
    expect(one(cutOver, 'Deployment', 'todo-todo-platform-gateway-green').spec.replicas).toBe(4);
  });

  it('the public Service selects both colours; the preview Service only the idle one', () => {
    expect(one(objects, 'Service', 'todo-todo-platform-gateway').spec.selector).toEqual({ 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'todo' });
    expect(one(objects, 'Service', 'todo-todo-platform-gateway-preview').spec.selector).toMatchObject({ 'todo-platform/colour': 'green' });
  });

  it('refuses weights that do not add up, and blue/green with an autoscaler', () => {
    expect(renderError({ set: ['blueGreen.enabled=true', 'blueGreen.green.weight=10'] })).toMatch(/must be 100/);
    expect(renderError({ set: ['blueGreen.enabled=true', 'services.gateway.autoscaling.enabled=true'] })).toMatch(/Argo Rollouts/);
  });
});

describe('values.schema.json and the chart guards', () => {
  const rejects: Array<[string, string[], RegExp]> = [
    ['an unknown broker profile', ['broker=nats'], /broker.*one of 'kafka', 'redis', 'rabbitmq', 'mqtt'/],
    ['a wrong type (replicas as text)', ['services.gateway.replicas=two'], /replicas.*want integer/],
    ['a wrong type (a boolean as text)', ['networkPolicy.enabled=yes'], /enabled.*want boolean/],
    ['a missing required value', ['image.repository=null'], /missing property 'repository'/],
    ['an unknown key (a typo)', ['services.gateway.replica=3'], /additional properties 'replica' not allowed/],
    ['an unknown service', ['services.billing.enabled=true'], /additional properties 'billing' not allowed/],
    ['rabbitmq without its account Secret', ['broker=rabbitmq'], /rabbitmq\/existingSecret/],
    ['kafka SASL without its Secret', ['kafka.authType=password'], /sasl\/existingSecret/],
    ['kafka certificate auth without a CA', ['kafka.authType=certificate'], /tls\/existingSecret/],
    ['a JWT clock skew beyond 300 s', ['jwt.clockSkewSeconds=3600'], /clockSkewSeconds/],
    ['an outbox store named like the shared one', ['outboxStoreName=statestore'], /outboxStoreName/],
    ['a sidecar memory limit GOMEMLIMIT cannot be derived from', ['dapr.resources.limits.memory=0.5Gi'], /memory/],
  ];
  it.each(rejects)('rejects %s', (_what, set, message) => {
    expect(renderError({ set })).toMatch(message);
  });

  it('refuses more than one replica of an mqtt subscriber (no consumer groups)', () => {
    expect(renderError({ set: ['broker=mqtt'] })).toMatch(/broker mqtt has no consumer groups/);
  });
});
