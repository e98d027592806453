// `make k8s-status`: an operator's status screen per namespace — each service's desired/ready replicas,
// its KEDA ScaledObject and current lag metric, the Dapr components and their scopes, recent warnings.
//
//   node --import tsx tools/k8s-status/main.ts [-n <namespace>]... [--watch] [--interval <seconds>]
//
// Without -n: every namespace holding the chart's Deployments. The cluster is KUBECONFIG's (or
// ~/.kube/config); scripts/k8s-status.sh points it at the project's local control plane.
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { collect, platformNamespaces } from './collect.ts';
import { renderNamespace } from './render.ts';

const { values } = parseArgs({
  options: {
    namespace: { type: 'string', short: 'n', multiple: true },
    watch: { type: 'boolean', short: 'w', default: false },
    interval: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: k8s-status [-n <namespace>]... [--watch] [--interval <seconds>]\n');
  process.exit(0);
}
const interval = Number(values.interval);
if (!(interval >= 1)) {
  process.stderr.write(`--interval ${values.interval}: give a number of seconds ≥ 1\n`);
  process.exit(2);
}

const kc = new KubeConfig();
kc.loadFromDefault();

async function screen(): Promise<string> {
  const namespaces = values.namespace?.length ? values.namespace : await platformNamespaces(kc);
  if (namespaces.length === 0) return 'no namespace holds todo-platform Deployments (label app.kubernetes.io/part-of=todo-platform); name one with -n\n';
  const screens = await Promise.all(namespaces.map((ns) => collect(kc, ns)));
  return screens.map((s) => renderNamespace(s)).join('\n');
}

async function main(): Promise<void> {
  if (!values.watch) {
    process.stdout.write(await screen());
    return;
  }
  const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '\n';
  for (;;) {
    let text: string;
    try {
      text = await screen();
    } catch (err) {
      text = `cannot read the cluster: ${err instanceof Error ? err.message : String(err)}\n`;
    }
    process.stdout.write(`${clear}${text}\n(refreshing every ${interval} s; Ctrl-C to stop)\n`);
    await new Promise((r) => setTimeout(r, interval * 1000));
  }
}

process.on('SIGINT', () => process.exit(0));
main().catch((err: unknown) => {
  process.stderr.write(`k8s-status: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
