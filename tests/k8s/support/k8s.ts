// Helpers of the k8s suite: helm and kubectl from the project's toolchain (scripts/setup-kube.sh), the
// chart's rendered objects, the API server through @kubernetes/client-node, and figures for the report.
// scripts/test-k8s.sh starts the control plane and exports KUBECONFIG and KUBE_BIN (from .run/…/kube/env).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, parse } from 'yaml';

declare module 'vitest' {
  interface TaskMeta {
    /** Figures the JSON report carries for CI (.run/test-results/k8s.json): counts, timings. */
    figures?: Record<string, number | string | Record<string, number>>;
  }
}

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CHART = path.join(ROOT, 'helm/todo-platform');
const KUBE_BIN = process.env.KUBE_BIN ?? [path.join(ROOT, '.run/k8s-test/kube/bin'), path.join(ROOT, '.run/kube/bin')].find((d) => existsSync(path.join(d, 'helm'))) ?? '';
export const HELM = path.join(KUBE_BIN, 'helm');
export const KUBECTL = path.join(KUBE_BIN, 'kubectl');

/** helm keeps its config, cache and repositories here, not in the user's home. */
const HELM_HOME = path.join(process.env.RUN_DIR ?? path.join(ROOT, '.run/k8s-test'), 'helm');
mkdirSync(HELM_HOME, { recursive: true });
export const TOOL_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${KUBE_BIN}:${process.env.PATH ?? ''}`,
  HELM_CONFIG_HOME: path.join(HELM_HOME, 'config'),
  HELM_CACHE_HOME: path.join(HELM_HOME, 'cache'),
  HELM_DATA_HOME: path.join(HELM_HOME, 'data'),
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? TOOL_ENV, input: options.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  // helm notes every read through files/components (a symlink) on stderr; that is not news.
  const stderr = r.stderr.split('\n').filter((l) => !l.includes('found symbolic link in path')).join('\n').trim();
  return { code: r.status ?? -1, stdout: r.stdout, stderr };
}

/** Runs and returns stdout; throws with stderr when the command fails. */
export function must(cmd: string, args: string[], options: Parameters<typeof run>[2] = {}): string {
  const r = run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} → exit ${r.code}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  return r.stdout;
}

export const helm = (args: string[], options?: Parameters<typeof run>[2]) => must(HELM, args, options);
export const kubectl = (args: string[], options?: Parameters<typeof run>[2]) => must(KUBECTL, args, options);

export interface K8sObject extends KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: NonNullable<KubernetesObject['metadata']> & { name: string };
  [key: string]: any;
}

export function parseDocs(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`YAML: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o != null && typeof o === 'object' && 'kind' in o);
}

/** Scenario values files (argo-cd style), ci/<name>-values.yaml; the four broker profiles among them. */
export const PROFILES = ['kafka', 'redis', 'rabbitmq', 'mqtt'] as const;
export type Profile = (typeof PROFILES)[number];
export const valuesFile = (scenario: string) => path.join(CHART, 'ci', `${scenario}-values.yaml`);

export interface RenderOptions {
  release?: string;
  namespace?: string;
  files?: string[];
  set?: string[];
  /** API versions the render should assume the cluster serves (CRD-gated templates). */
  apiVersions?: string[];
}

function valueArgs(o: RenderOptions): string[] {
  return [
    ...(o.files ?? []).flatMap((f) => ['-f', f]),
    ...(o.set ?? []).flatMap((s) => ['--set', s]),
    ...(o.apiVersions ?? []).flatMap((v) => ['--api-versions', v]),
  ];
}

/** `helm template` → objects (hooks included; NOTES are not objects). */
export function render(o: RenderOptions = {}): K8sObject[] {
  return parseDocs(helm(['template', o.release ?? 'todo', CHART, '-n', o.namespace ?? 'todo', ...valueArgs(o)]));
}

/** `helm template` expected to fail: its error message. */
export function renderError(o: RenderOptions): string {
  const r = run(HELM, ['template', o.release ?? 'todo', CHART, '-n', o.namespace ?? 'todo', ...valueArgs(o)]);
  if (r.code === 0) throw new Error(`helm template ${valueArgs(o).join(' ')} succeeded, but should have failed`);
  return r.stderr;
}

export function lint(o: RenderOptions = {}): Run {
  return run(HELM, ['lint', '--strict', CHART, '-n', o.namespace ?? 'todo', ...valueArgs(o)]);
}

export function install(release: string, namespace: string, o: RenderOptions & { upgrade?: boolean } = {}): void {
  // --no-hooks: the topic Job would wait for a broker and a kubelet neither of which exists here; the hook
  // objects are checked by a server-side dry run instead (install.test.ts).
  helm([o.upgrade ? 'upgrade' : 'install', release, CHART, '-n', namespace, ...(o.upgrade ? [] : ['--create-namespace']), '--no-hooks', ...valueArgs(o)]);
}

/** What a release rendered (helm get manifest): the objects helm created. */
export const releaseObjects = (release: string, namespace: string) => parseDocs(helm(['get', 'manifest', release, '-n', namespace]));

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const one = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
};
export const countByKind = (objects: K8sObject[]) =>
  objects.reduce<Record<string, number>>((acc, o) => ((acc[o.kind] = (acc[o.kind] ?? 0) + 1), acc), {});

export function yamlFile<T = any>(relative: string): T {
  return parse(readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

export const chartValues = () => yamlFile('helm/todo-platform/values.yaml');

// ---- the API server -----------------------------------------------------------------------------------
export const hasCluster = Boolean(process.env.KUBECONFIG && existsSync(process.env.KUBECONFIG));

let objectApi: KubernetesObjectApi | undefined;
export function api(): KubernetesObjectApi {
  if (!hasCluster) throw new Error('no cluster: run `make test-k8s` (it starts one and sets KUBECONFIG)');
  if (!objectApi) {
    const kc = new KubeConfig();
    kc.loadFromFile(process.env.KUBECONFIG!);
    objectApi = KubernetesObjectApi.makeApiClient(kc);
  }
  return objectApi;
}

/** Reads an object back from the API server (any kind, CRDs included); undefined when absent. */
export async function readBack(o: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>, namespace: string): Promise<K8sObject | undefined> {
  try {
    return (await api().read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace } })) as K8sObject;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** Objects of one kind in a namespace, optionally by label selector. */
export async function listKind(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<K8sObject[]> {
  const list = await api().list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
  return list.items as K8sObject[];
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function deleteNamespace(namespace: string): void {
  run(KUBECTL, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
}
