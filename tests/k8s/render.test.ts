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

  it('runs the apps as their image\'s non-root user (1000; the Python service 65532) on a read-only root file system, no privileges, with probes', () => {
    for (const d of deployments) {
      const pod = podOf(d).spec;
      const c = appContainer(d);
      const uid = annotationsOf(d)['dapr.io/app-id'] === 'insights-service' ? 65532 : 1000;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: 'RuntimeDefault' } });
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

  it('gives every autoscaled subscriber a ScaledObject on its own Deployment, and nothing else one', () => {
    const scaledObjects = byKind(objects, 'ScaledObject');
    const subscribers = new Set(byKind(objects, 'Subscription').flatMap((s) => s.scopes as string[]));
    const wanted = deployments
      .map((d) => annotationsOf(d)['dapr.io/app-id']!)
      .filter((id) => (scenarioValues.services?.[id]?.autoscaling?.enabled ?? false) && subscribers.has(id));
    expect(scaledObjects.map((o) => o.metadata.labels?.['app.kubernetes.io/name']).sort()).toEqual(wanted.sort());
    for (const so of scaledObjects) {
      const target = one(deployments, 'Deployment', so.spec.scaleTargetRef.name);
      expect(target.spec, `${target.metadata.name} is KEDA's`).not.toHaveProperty('replicas');
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

describe('autoscaling on consumer lag (KEDA ScaledObjects)', () => {
  const AS = path.join(CHART, 'ci', 'autoscaling-values.yaml');
  const local = (file: string) => yamlFile(file);
  const localPubsub = local('components/kafka/pubsub.yaml');
  const localMeta = Object.fromEntries((localPubsub.spec.metadata as Array<{ name: string; value?: string }>).map((m) => [m.name, m.value]));
  const subscriptions = ['notification-task-events', 'notification-reminders', 'reminder-task-events', 'recurring-task-events', 'dead-letter-task-events', 'dead-letter-reminders']
    .map((n) => local(`components/common/subscriptions/${n}.yaml`));
  const topicsOf = (app: string) => [...new Set(subscriptions.filter((s) => s.scopes.includes(app)).map((s) => s.spec.topic as string))].sort();
  const scaledObject = (objects: K8sObject[], app: string) => one(objects, 'ScaledObject', `todo-todo-platform-${app}`);
  const triggers = (so: K8sObject) => so.spec.triggers as Array<{ type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }>;

  it('kafka: one trigger per subscribed topic, on the group daprd uses, offsets as Dapr starts them, partitions as the cap', () => {
    const objects = render({ files: [AS] });
    const values = chartValues();
    for (const app of ['reminder-service', 'notification-service', 'dead-letter-service']) {
      const so = scaledObject(objects, app);
      const t = triggers(so);
      expect(t.map((x) => x.metadata.topic), app).toEqual(topicsOf(app));
      for (const x of t) {
        expect(x.type).toBe('kafka');
        // components/kafka/pubsub.yaml sets no consumerGroup/consumerID: daprd uses the app-id.
        expect(localMeta.consumerGroup ?? localMeta.consumerID).toBeUndefined();
        expect(x.metadata).toMatchObject({ consumerGroup: app, bootstrapServers: values.kafka.brokers, allowIdleConsumers: 'false', activationLagThreshold: '0' });
        expect(x.metadata.offsetResetPolicy).toBe({ oldest: 'earliest', newest: 'latest' }[localMeta.initialOffset ?? 'newest']);
        expect(x.authenticationRef, 'authType none: no credentials').toBeUndefined();
      }
      expect(so.spec.maxReplicaCount).toBeLessThanOrEqual(values.topics.defaultPartitions);
      expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(120);
    }
    // Per-service overrides win over the autoscaling defaults.
    expect(triggers(scaledObject(objects, 'notification-service'))[0]!.metadata.lagThreshold).toBe('20');
    expect(triggers(scaledObject(objects, 'reminder-service'))[0]!.metadata.lagThreshold).toBe('50');
    expect(scaledObject(objects, 'dead-letter-service').spec.maxReplicaCount).toBe(2);
    expect(byKind(objects, 'TriggerAuthentication')).toEqual([]);
    // brokerAddress: what KEDA dials when it differs from the pods' address.
    const elsewhere = render({ files: [AS], set: ['autoscaling.brokerAddress=kafka-external.example:9094'] });
    expect(triggers(scaledObject(elsewhere, 'reminder-service'))[0]!.metadata.bootstrapServers).toBe('kafka-external.example:9094');
    expect(one(elsewhere, 'Component', 'pubsub').spec.metadata.find((m: any) => m.name === 'brokers').value).toBe(values.kafka.brokers);
  });

  it('kafka with SASL over TLS: the same Secrets as the Component, through a TriggerAuthentication', () => {
    const objects = render({ files: [path.join(CHART, 'ci', 'kafka-production-values.yaml'), AS] });
    const auth = byKind(objects, 'TriggerAuthentication');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.spec.secretTargetRef).toEqual([
      { parameter: 'ca', name: 'redpanda-default-cert', key: 'ca.crt' },
      { parameter: 'username', name: 'redpanda-todo-user', key: 'username' },
      { parameter: 'password', name: 'redpanda-todo-user', key: 'password' },
    ]);
    for (const x of triggers(scaledObject(objects, 'notification-service'))) {
      expect(x.metadata).toMatchObject({ tls: 'enable', sasl: 'scram_sha512' });
      expect(x.authenticationRef).toEqual({ name: auth[0]!.metadata.name });
    }
    const mtls = render({ files: [path.join(CHART, 'ci', 'kafka-mtls-values.yaml'), AS] });
    expect(byKind(mtls, 'TriggerAuthentication')[0]!.spec.secretTargetRef.map((r: any) => r.parameter)).toEqual(['ca', 'cert', 'key']);
  });

  it('redis: redis-streams on the stream and the app-id group (lagCount); rabbitmq: QueueLength of <app-id>-<topic>', () => {
    const redis = render({ files: [path.join(CHART, 'ci', 'redis-values.yaml'), AS] });
    const r = triggers(scaledObject(redis, 'notification-service'));
    expect(r.map((x) => [x.type, x.metadata.stream, x.metadata.consumerGroup, x.metadata.lagCount])).toEqual(
      topicsOf('notification-service').map((t) => ['redis-streams', t, 'notification-service', '20']),
    );
    expect(r[0]!.metadata.address).toBe('redis-streams:6379');
    expect(byKind(redis, 'TriggerAuthentication')[0]!.spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'redis-streams-auth', key: 'redis-password' }]);
    const rabbit = render({ files: [path.join(CHART, 'ci', 'rabbitmq-values.yaml'), AS] });
    const q = triggers(scaledObject(rabbit, 'notification-service'));
    expect(q.map((x) => [x.type, x.metadata.queueName, x.metadata.mode, x.metadata.value])).toEqual(
      topicsOf('notification-service').map((t) => ['rabbitmq', `notification-service-${t}`, 'QueueLength', '20']),
    );
    expect(q[0]!.metadata.host).toBe('amqp://rabbitmq.messaging.svc.cluster.local:5672/');
    expect(byKind(rabbit, 'TriggerAuthentication')[0]!.spec.secretTargetRef.map((x: any) => x.parameter)).toEqual(['username', 'password']);
  });

  it('renders no ScaledObject for a service that subscribes to nothing, but still leaves its replicas alone', () => {
    const objects = render({ set: ['services.gateway.autoscaling.enabled=true'] });
    expect(byKind(objects, 'ScaledObject')).toEqual([]);
    expect(one(objects, 'Deployment', 'todo-todo-platform-gateway').spec).not.toHaveProperty('replicas');
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['more replicas than partitions (kafka)', ['autoscaling.maxReplicaCount=4'], /maxReplicaCount 4 is above the partitions of its topics .*at most 3/],
    ['minReplicaCount above maxReplicaCount', ['services.notification-service.autoscaling.minReplicaCount=3', 'services.notification-service.autoscaling.maxReplicaCount=2'], /minReplicaCount 3 is above maxReplicaCount 2/],
    ['zero pods of an invoked service', ['services.notification-service.autoscaling.minReplicaCount=0'], /notification-service.*invoked by gateway/],
    ['zero pods of the cron service', ['services.reminder-service.autoscaling.minReplicaCount=0'], /reminder cron runs in its pods/],
    ['a lag threshold of 0 (schema)', ['autoscaling.lagThreshold=0'], /lagThreshold/],
    ['an unknown autoscaling key (schema)', ['services.notification-service.autoscaling.maxReplicas=3'], /additional properties 'maxReplicas' not allowed/],
  ];
  it.each(refusals)('refuses %s', (_what, set, message) => {
    expect(renderError({ files: [AS], set })).toMatch(message);
  });

  it('allows zero pods where nothing else needs one (recurring-service), and more replicas than partitions only with allowIdleConsumers', () => {
    const zero = render({ files: [AS], set: ['services.recurring-service.autoscaling.enabled=true', 'services.recurring-service.autoscaling.minReplicaCount=0'] });
    expect(scaledObject(zero, 'recurring-service').spec.minReplicaCount).toBe(0);
    const idle = render({ files: [AS], set: ['autoscaling.kafka.allowIdleConsumers=true', 'autoscaling.maxReplicaCount=6'] });
    expect(triggers(scaledObject(idle, 'reminder-service'))[0]!.metadata.allowIdleConsumers).toBe('true');
  });

  it('refuses autoscaling on mqtt, and says why (no consumer groups)', () => {
    expect(renderError({ files: [path.join(CHART, 'ci', 'mqtt-values.yaml')], set: ['services.notification-service.autoscaling.enabled=true'] })).toMatch(
      /notification-service\.autoscaling: broker mqtt has no consumer groups, so there is no backlog to scale on/,
    );
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
    expect(byApp.size).toBe(Object.keys(chartValues().services).length);
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

describe('metrics for a cluster', () => {
  it('when the cluster serves the Prometheus Operator CRD, then a PodMonitor scrapes every pod\'s app /metrics and daprd; otherwise none', () => {
    expect(byKind(render(), 'PodMonitor')).toEqual([]);
    const [monitor] = byKind(render({ apiVersions: ['monitoring.coreos.com/v1'], set: ['metrics.podMonitor.labels.release=kps'] }), 'PodMonitor');
    expect(monitor!.metadata.labels).toMatchObject({ release: 'kps' });
    expect(monitor!.spec.selector.matchLabels).toMatchObject({ 'app.kubernetes.io/part-of': 'todo-platform' });
    expect(monitor!.spec.podMetricsEndpoints.map((e: { port: string; path: string }) => `${e.port}${e.path}`)).toEqual(['http/metrics', 'dapr-metrics/']);
    // every pod it selects has the port it scrapes, named as it expects
    for (const d of byKind(render(), 'Deployment')) {
      expect(podOf(d).metadata.labels).toMatchObject(monitor!.spec.selector.matchLabels);
      expect(appContainer(d).ports.map((p: { name: string }) => p.name)).toContain('http');
      expect(annotationsOf(d)['dapr.io/enable-metrics']).toBe('true');
    }
  });

  it('when the dashboard is on, then a ConfigMap for Grafana\'s sidecar carries exactly the generated dashboard', () => {
    const [map] = byKind(render(), 'ConfigMap').filter((c) => c.metadata.name.endsWith('-dashboard'));
    expect(map!.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(map!.data['todo-platform.json'])).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'k8s/observability/grafana-dashboard.json'), 'utf8')));
    expect(byKind(render({ set: ['metrics.dashboard.enabled=false'] }), 'ConfigMap').filter((c) => c.metadata.name.endsWith('-dashboard'))).toEqual([]);
  });
});
