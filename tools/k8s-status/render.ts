// One screen per namespace, plain text (no colours: it is pasted into reports and read in CI logs).
import type { NamespaceStatus, ScalerStatus, ServiceStatus } from './collect.ts';

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const num = (n: number | undefined) => (n === undefined ? '?' : Number.isInteger(n) ? String(n) : n.toFixed(1));

export function age(from: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

function scalerCell(s: ScalerStatus | undefined): string {
  if (!s) return '-';
  const state = ['Ready', 'Active', 'Fallback', 'Paused']
    .filter((c) => s.conditions[c] !== undefined)
    .map((c) => (s.conditions[c] === 'True' ? c.toLowerCase() : s.conditions[c] === 'False' ? `not ${c.toLowerCase()}` : `${c.toLowerCase()}?`))
    .filter((c) => !['not fallback', 'not paused'].includes(c));
  const hpa = s.hpa ? `HPA ${num(s.hpa.current)}→${num(s.hpa.desired)}${s.hpa.limited ? ` (${s.hpa.limited})` : ''}` : 'no HPA yet';
  return `KEDA ${state.join(', ') || 'no status'}; ${num(s.min)}..${num(s.max)}; ${hpa}`;
}

function lagCell(s: ScalerStatus | undefined): string {
  if (!s) return '-';
  if (s.triggers.length === 0) return '(no metric yet)';
  return s.triggers.map((t) => `${t.source} ${t.error ? `(${t.error})` : num(t.value)}/${num(t.target)}`).join(' · ');
}

const replicas = (svc: ServiceStatus) => `${svc.desired}/${svc.ready}`;

export function renderNamespace(st: NamespaceStatus, now = st.at): string {
  const out: string[] = [];
  const title = `namespace ${st.namespace} — ${st.at.toISOString().replace(/\.\d+Z$/, 'Z')} — ${st.server}`;
  out.push(title, '='.repeat(title.length), '');
  out.push('SERVICES (replicas = spec/ready; no kubelet here means 0 ready)');
  out.push(...table(
    ['SERVICE', 'REPLICAS', 'AUTOSCALER', 'LAG (KEDA metric/target per replica)'],
    st.services.map((s) => [s.name, replicas(s), scalerCell(s.scaler), lagCell(s.scaler)]),
  ));
  if (st.services.length === 0) out.push('(no Deployments)');
  out.push('', `DAPR COMPONENTS (${st.components.length}; ${st.subscriptions} subscriptions)`);
  out.push(...table(['NAME', 'TYPE', 'SCOPES'], st.components.map((c) => [c.name, c.type, c.scopes.join(', ') || '(all apps)'])));
  out.push('', 'RECENT WARNING EVENTS (newest first)');
  if (st.events.length === 0) out.push('(none)');
  else out.push(...table(['AGE', 'OBJECT', 'REASON', 'COUNT', 'MESSAGE'], st.events.map((e) => [age(e.at, now), e.object, e.reason, String(e.count), e.message.length > 110 ? `${e.message.slice(0, 107)}...` : e.message])));
  for (const p of st.problems) out.push(`! ${p}`);
  return `${out.join('\n')}\n`;
}
