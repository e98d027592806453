// The README's "On Kubernetes" commands, run as written against the loopback control plane. Only what this
// machine cannot do is substituted (and the README says so): the Dapr chart comes from the Go module
// instead of the chart repository, the other remote charts are skipped after their pins are checked
// against k8s/, nothing waits for readiness (no kubelet), and the app chart skips its topic hook.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartValues, hasCluster, helm, listKind, readBack, ROOT, run, TOOL_ENV, waitFor } from './support/k8s.ts';

if (!hasCluster) throw new Error('tests/k8s/readme-commands.test.ts needs the control plane: run `make test-k8s`');

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const block = /<!-- k8s-commands:start -->\s*```bash\n([\s\S]*?)```\s*<!-- k8s-commands:end -->/.exec(readme)?.[1];
const commands = (block ?? '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
const daprChart = path.resolve(path.dirname(process.env.KUBE_BIN ?? path.join(ROOT, '.run/kube/bin')), 'charts/dapr');

const SHIM = path.join(ROOT, 'tests/k8s/support/readme-shim.sh');

describe('README "On Kubernetes" commands', () => {
  let out = '';
  let shimLog: string[] = [];
  let seconds = 0;

  beforeAll(() => {
    expect(commands.length, 'the README has the k8s-commands block').toBeGreaterThan(5);
    const logFile = path.join(process.env.RUN_DIR ?? path.join(ROOT, '.run'), 'readme-commands.log');
    run('rm', ['-f', logFile]);
    const started = Date.now();
    const r = run('bash', ['-euo', 'pipefail', '-c', `source ${SHIM}\n${block}`], { env: { ...TOOL_ENV, SHIM_LOG: logFile, DAPR_CHART: daprChart } });
    seconds = Math.round((Date.now() - started) / 100) / 10;
    out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    shimLog = readFileSync(logFile, 'utf8').trim().split('\n');
  });

  it('ran every command, substituting only the declared ones', ({ task }) => {
    expect(shimLog.length).toBe(commands.length);
    const skipped = shimLog.filter((l) => l.startsWith('skipped'));
    expect(skipped.map((l) => l.replace(/^skipped \([^)]*\): /, ''))).toEqual(commands.filter((c) => /^helm repo |kedacore\/keda|redpanda\/redpanda/.test(c)));
    task.meta.figures = { commands: commands.length, ran: shimLog.length - skipped.length, seconds };
  });

  it('pins the same chart versions and values files as k8s/ declares', () => {
    for (const [dir, chart] of [['dapr', 'dapr/dapr'], ['keda', 'kedacore/keda'], ['redpanda', 'redpanda/redpanda']] as const) {
      const declared = readFileSync(path.join(ROOT, 'k8s', dir, 'values.yaml'), 'utf8');
      const pin = new RegExp(`helm upgrade --install \\S+ ${chart} --version (\\S+) -n (\\S+) --create-namespace -f k8s/${dir}/values.yaml`).exec(declared);
      expect(pin, `k8s/${dir}/values.yaml names its install command`).not.toBeNull();
      const cmd = commands.find((c) => c.includes(` ${chart} `));
      expect(cmd, `README installs ${chart}`).toContain(pin![0]);
    }
    // The Dapr chart from the Go module is the release the values pin.
    expect(readFileSync(path.join(ROOT, 'k8s/dapr/values.yaml'), 'utf8')).toMatch(/tag: "1\.18\.3"/);
  });

  it('the Dapr control plane chart accepts k8s/dapr/values.yaml: its Deployments exist (Pending: no kubelet), mTLS on, no placement/scheduler', async () => {
    const deployments = (await listKind('apps/v1', 'Deployment', 'dapr-system')).map((d) => d.metadata.name).sort();
    expect(deployments).toEqual(['dapr-operator', 'dapr-sentry', 'dapr-sidecar-injector']);
    for (const name of deployments) {
      const d = (await readBack({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name } }, 'dapr-system'))!;
      expect(d.spec.template.spec.containers[0].image, name).toMatch(/^ghcr\.io\/dapr\/[a-z-]+:1\.18\.3$/);
    }
    expect(await listKind('apps/v1', 'StatefulSet', 'dapr-system')).toEqual([]);
    const system = (await readBack({ apiVersion: 'dapr.io/v1alpha1', kind: 'Configuration', metadata: { name: 'daprsystem' } }, 'dapr-system'))!;
    expect(system.spec.mtls).toMatchObject({ enabled: true, workloadCertTTL: '24h', allowedClockSkew: '15m' });
    const injector = (await readBack({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dapr-sidecar-injector' } }, 'dapr-system'))!;
    const env = Object.fromEntries(injector.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ SIDECAR_DROP_ALL_CAPABILITIES: 'true' });
  });

  it('the dev overlay and the app are installed: Redis, the namespace under Pod Security "restricted", every Deployment and Dapr resource', async () => {
    const ns = (await readBack({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'todo-dev' } }, ''))!;
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const deployments = (await listKind('apps/v1', 'Deployment', 'todo-dev')).map((d) => d.metadata.name).sort();
    expect(deployments).toContain('redis');
    expect(deployments.filter((d) => d.startsWith('todo-todo-platform-'))).toHaveLength(Object.keys(chartValues().services).length);
    expect((await listKind('dapr.io/v1alpha1', 'Component', 'todo-dev')).map((c) => c.metadata.name).sort()).toEqual(
      ['pubsub', 'reminder-cron', 'secretstore', 'statestore', 'statestore-outbox'],
    );
    // One per file in components/common/subscriptions (the chart renders them all).
    expect(await listKind('dapr.io/v2alpha1', 'Subscription', 'todo-dev')).toHaveLength(readdirSync(path.join(ROOT, 'components/common/subscriptions')).filter((f) => f.endsWith('.yaml')).length);
    expect(helm(['status', 'todo', '-n', 'todo-dev'])).toMatch(/STATUS: deployed/);
    // Pod Security admission let every pod in: one per Deployment (dev values), none refused by "restricted".
    const pods = await waitFor('a pod per Deployment in todo-dev', async () => {
      const list = await listKind('v1', 'Pod', 'todo-dev');
      return list.length === deployments.length && list;
    });
    expect(pods.map((p) => p.metadata.labels?.['app.kubernetes.io/name']).sort()).toEqual([...Object.keys(chartValues().services), 'redis'].sort());
    expect(out).toContain('deployment.apps/todo-todo-platform-gateway');
  });
});
