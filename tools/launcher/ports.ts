// Which ports `make run` needs, and who holds them when they are taken. Run before anything starts
// (scripts/run.sh), so a taken port is one clear message naming its holder instead of a sidecar that
// dies half-way through start-up.
//   node --import tsx tools/launcher/ports.ts     exit 0 when every port is free, 1 otherwise
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { selectedBroker, type Broker } from './broker.ts';
import type { AppSpec } from './processes.ts';
import { readRunFile } from './run-file.ts';

export interface PortUse {
  port: number;
  /** What `make run` puts there, e.g. "gateway app", "task-service daprd metrics", "Kafka". */
  what: string;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** The infrastructure ports of a broker profile, with scripts/infra.sh's and brokers.sh's defaults. */
export function infraPorts(broker: Broker): PortUse[] {
  const ports: PortUse[] = [{ port: env('REDIS_PORT', 16379), what: 'Redis (state store)' }, { port: env('ZIPKIN_PORT', 19411), what: 'Zipkin' }];
  if (broker === 'kafka') ports.push({ port: env('KAFKA_PORT', 19092), what: 'Kafka' }, { port: env('KAFKA_CONTROLLER_PORT', 19093), what: 'Kafka controller' });
  if (broker === 'redis') ports.push({ port: env('BROKER_REDIS_PORT', 16380), what: 'Redis Streams broker' });
  if (broker === 'rabbitmq') {
    const base = env('RABBITMQ_PORT', 17672);
    ports.push(...Array.from({ length: 13 }, (_, i) => ({ port: base + i, what: i === 0 ? 'RabbitMQ' : 'RabbitMQ (distribution, epmd, CLI)' })));
  }
  if (broker === 'mqtt') ports.push({ port: env('MQTT_PORT', 11883), what: 'Mosquitto' });
  return ports;
}

export function appPorts(specs: AppSpec[]): PortUse[] {
  return specs.flatMap((s) => [
    { port: s.appPort, what: `${s.appId} app` },
    { port: s.daprHttpPort, what: `${s.appId} daprd HTTP` },
    { port: s.daprGrpcPort, what: `${s.appId} daprd gRPC` },
    { port: s.daprInternalGrpcPort, what: `${s.appId} daprd internal gRPC` },
    { port: s.metricsPort, what: `${s.appId} daprd metrics` },
  ]);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    // Every server of the platform listens on 127.0.0.1; a holder on 0.0.0.0 blocks that too.
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** pid and command line of the process listening on `port` (Linux /proc; undefined when not visible). */
export function holderOf(port: number): { pid: number; command: string } | undefined {
  const inodes = new Set<string>();
  let connections = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A = LISTEN; inode is column 10.
      if (parseInt(cols[1]?.split(':')[1] ?? '', 16) !== port) continue;
      if (cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
      else connections++;
    }
  }
  if (inodes.size === 0) {
    // No listener: a client connection took it as its local port (it is in the kernel's ephemeral
    // range); it goes away when that connection closes, within a minute or so after TIME_WAIT.
    return connections > 0 ? { pid: 0, command: 'the local end of an open client connection (ephemeral port); retry in a minute' } : undefined;
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        return { pid: Number(pid), command: command.length > 120 ? `${command.slice(0, 117)}...` : command };
      }
    }
  }
  return undefined;
}

/** pids recorded by an earlier `make run` of this checkout (.run/pids/*.pid). */
function ourPids(runDir: string): Set<number> {
  const dir = path.join(runDir, 'pids');
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).filter((f) => f.endsWith('.pid')).map((f) => Number(readFileSync(path.join(dir, f), 'utf8').trim())));
}

export async function takenPorts(uses: PortUse[]): Promise<Array<PortUse & { holder?: { pid: number; command: string } }>> {
  const taken = [];
  for (const use of uses) if (!(await isFree(use.port))) taken.push({ ...use, holder: holderOf(use.port) });
  return taken;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, '../..');
  const runDir = process.env.RUN_DIR ?? path.join(root, '.run');
  const broker = selectedBroker();
  const specs = readRunFile(process.env.RUN_FILE ?? path.join(root, 'dapr.yaml'));
  const taken = await takenPorts([...infraPorts(broker), ...appPorts(specs)]);
  if (taken.length === 0) process.exit(0);
  const ours = ourPids(runDir);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`\x1b[31merror:\x1b[0m ${taken.length} port(s) make run needs are taken:`);
  for (const t of taken) {
    const who = !t.holder ? 'by a process this user cannot see (try: sudo ss -ltnp)' : t.holder.pid === 0 ? t.holder.command : `pid ${t.holder.pid}: ${t.holder.command}`;
    say(`    :${t.port}  ${t.what.padEnd(32)} ${who}`);
  }
  if (taken.some((t) => t.holder && ours.has(t.holder.pid))) {
    say('  Some belong to an earlier `make run` of this checkout: stop it with `make stop` (or Ctrl-C in its terminal).');
  } else {
    say('  Stop what holds them (kill <pid>), or, for another checkout\'s `make run`, its `make stop`.');
  }
  say('  Ports are set in dapr.yaml (apps and sidecars) and by REDIS_PORT, KAFKA_PORT, ZIPKIN_PORT… (scripts/infra.sh).');
  process.exit(1);
}
