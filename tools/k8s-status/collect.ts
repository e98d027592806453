// What `make k8s-status` shows, read from the API server with @kubernetes/client-node: per namespace the
// services (Deployments) with desired/ready replicas, their KEDA ScaledObject (conditions, HPA, and the
// current value of each trigger's external metric, read the way the HPA reads it: through the API server's
// external.metrics.k8s.io), the Dapr Components with their scopes, and recent Warning events.
import { ApiException, AppsV1Api, AutoscalingV2Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';

export interface TriggerStatus {
  /** The external metric's name in the HPA (`s<i>-kafka-<topic>`). */
  metric: string;
  /** What the trigger reads: topic, stream or queue. */
  source: string;
  type: string;
  /** The metric's current value (the lag KEDA reports), or undefined with `error`. */
  value?: number;
  /** Target per replica (the HPA's AverageValue: lagThreshold). */
  target?: number;
  error?: string;
}

export interface ScalerStatus {
  name: string;
  min?: number;
  max?: number;
  /** Conditions of the ScaledObject: Ready, Active, Fallback, Paused → "True" | "False" | "Unknown". */
  conditions: Record<string, string>;
  consumerGroup?: string;
  hpa?: { name: string; current?: number; desired?: number; limited?: string };
  triggers: TriggerStatus[];
}

export interface ServiceStatus {
  name: string;
  deployment: string;
  /** spec.replicas: what the autoscaler (or the chart) asks for. */
  desired: number;
  current: number;
  ready: number;
  scaler?: ScalerStatus;
}

export interface ComponentStatus {
  name: string;
  type: string;
  scopes: string[];
}

export interface WarningEvent {
  at: Date;
  object: string;
  reason: string;
  message: string;
  count: number;
}

export interface NamespaceStatus {
  namespace: string;
  at: Date;
  server: string;
  services: ServiceStatus[];
  components: ComponentStatus[];
  subscriptions: number;
  events: WarningEvent[];
  /** Parts that could not be read (e.g. no KEDA or Dapr CRDs): shown, never fatal. */
  problems: string[];
}

/** The fields of a KEDA ScaledObject and a Dapr Component this tool reads. */
interface ScaledObject {
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: {
    scaleTargetRef?: { name: string; kind?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: Array<{ type?: string; metadata?: Record<string, string> }>;
  };
  status?: { hpaName?: string; conditions?: Array<{ type: string; status: string }> };
}
interface DaprComponent {
  metadata: { name: string };
  spec?: { type?: string };
  scopes?: string[];
}

const notFound = (err: unknown) => err instanceof ApiException && err.code === 404;
const reason = (err: unknown) => (err instanceof ApiException ? `HTTP ${err.code}` : err instanceof Error ? err.message.split('\n')[0]! : String(err));

/** A Kubernetes quantity as a number ("250", "1500m", "2k"). */
export function quantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = /^(-?[0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(q.trim());
  if (!m) return undefined;
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/** Namespaces that hold the chart's Deployments (label app.kubernetes.io/part-of=todo-platform). */
export async function platformNamespaces(kc: KubeConfig): Promise<string[]> {
  const list = await kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces({ labelSelector: 'app.kubernetes.io/part-of=todo-platform' });
  return [...new Set(list.items.map((d) => d.metadata?.namespace ?? ''))].filter(Boolean).sort();
}

/** The current value of one external metric, as the HPA asks for it. */
export async function externalMetric(kc: KubeConfig, namespace: string, metric: string, labelSelector: string): Promise<number> {
  const res = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
    group: 'external.metrics.k8s.io', version: 'v1beta1', namespace, plural: metric, labelSelector,
  })) as { items?: Array<{ value?: string }> };
  const values = (res.items ?? []).map((i) => quantity(i.value)).filter((v): v is number => v !== undefined);
  if (values.length === 0) throw new Error(`no value for ${metric}`);
  return values.reduce((a, b) => a + b, 0);
}

function triggerSource(trigger: { type?: string; metadata?: Record<string, string> } | undefined): string {
  const m = trigger?.metadata ?? {};
  return m.topic ?? m.stream ?? m.queueName ?? m.listName ?? trigger?.type ?? '?';
}

async function scalerOf(kc: KubeConfig, namespace: string, so: ScaledObject, hpas: V2HorizontalPodAutoscaler[]): Promise<ScalerStatus> {
  const conditions = Object.fromEntries((so.status?.conditions ?? []).map((c) => [c.type, c.status]));
  const hpaName: string = so.status?.hpaName ?? `keda-hpa-${so.metadata.name}`;
  const hpa = hpas.find((h) => h.metadata?.name === hpaName);
  const triggers: TriggerStatus[] = [];
  for (const m of hpa?.spec?.metrics ?? []) {
    if (m.type !== 'External' || !m.external) continue;
    const metric = m.external.metric.name;
    const index = Number(/^s(\d+)-/.exec(metric)?.[1] ?? -1);
    const trigger = so.spec?.triggers?.[index];
    const selector = Object.entries(m.external.metric.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const status: TriggerStatus = {
      metric, source: triggerSource(trigger), type: trigger?.type ?? '?',
      target: quantity(m.external.target.averageValue ?? m.external.target.value),
    };
    try {
      status.value = await externalMetric(kc, namespace, metric, selector);
    } catch (err) {
      status.error = reason(err);
    }
    triggers.push(status);
  }
  const limited = hpa?.status?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True')?.reason;
  return {
    name: so.metadata.name,
    min: so.spec?.minReplicaCount,
    max: so.spec?.maxReplicaCount,
    conditions,
    consumerGroup: so.metadata.annotations?.['todo-platform/consumer-group'],
    hpa: hpa ? { name: hpaName, current: hpa.status?.currentReplicas, desired: hpa.status?.desiredReplicas, limited } : undefined,
    triggers,
  };
}

export async function collect(kc: KubeConfig, namespace: string, options: { eventWindowMinutes?: number; maxEvents?: number } = {}): Promise<NamespaceStatus> {
  const problems: string[] = [];
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const listCustom = async <X>(group: string, version: string, plural: string, what: string): Promise<X[]> => {
    try {
      return ((await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as { items: X[] }).items;
    } catch (err) {
      problems.push(notFound(err) ? `${what}: not installed (no ${plural}.${group})` : `${what}: ${reason(err)}`);
      return [];
    }
  };
  const [deployments, scaledObjects, hpas, components, subscriptions, events] = await Promise.all([
    apps.listNamespacedDeployment({ namespace }).then((l) => l.items),
    listCustom<ScaledObject>('keda.sh', 'v1alpha1', 'scaledobjects', 'KEDA'),
    kc.makeApiClient(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({ namespace }).then((l) => l.items),
    listCustom<DaprComponent>('dapr.io', 'v1alpha1', 'components', 'Dapr components'),
    listCustom<unknown>('dapr.io', 'v2alpha1', 'subscriptions', 'Dapr subscriptions'),
    kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }).then((l) => l.items),
  ]);

  const services: ServiceStatus[] = [];
  for (const d of deployments) {
    const name = d.metadata?.labels?.['app.kubernetes.io/name'] ?? d.metadata!.name!;
    const so = scaledObjects.find((s) => s.spec?.scaleTargetRef?.name === d.metadata!.name && (s.spec?.scaleTargetRef?.kind ?? 'Deployment') === 'Deployment');
    services.push({
      name,
      deployment: d.metadata!.name!,
      desired: d.spec?.replicas ?? 0,
      current: d.status?.replicas ?? 0,
      ready: d.status?.readyReplicas ?? 0,
      scaler: so ? await scalerOf(kc, namespace, so, hpas) : undefined,
    });
  }
  services.sort((a, b) => a.name.localeCompare(b.name));

  const since = Date.now() - (options.eventWindowMinutes ?? 60) * 60_000;
  const warnings = events
    .map((e) => ({
      at: new Date((e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0) as string | number | Date),
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      reason: e.reason ?? '',
      message: (e.message ?? '').replace(/\s+/g, ' ').trim(),
      count: e.count ?? e.series?.count ?? 1,
    }))
    .filter((e) => e.at.getTime() >= since)
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, options.maxEvents ?? 8);

  return {
    namespace,
    at: new Date(),
    server: kc.getCurrentCluster()?.server ?? '?',
    services,
    components: components
      .map((c) => ({ name: c.metadata.name, type: c.spec?.type ?? '?', scopes: c.scopes ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    subscriptions: subscriptions.length,
    events: warnings,
    problems,
  };
}
