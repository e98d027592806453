// The autoscaling timeline: one sample every few seconds of the four numbers the control loop passes
// along — the consumer group's lag as Kafka reports it, KEDA's metric as the HPA reads it, the HPA's
// desired replicas, the Deployment's spec.replicas — read at the same moment (in parallel).

export interface Reading {
  /** Σ lag of the group over the topic's partitions, from Kafka's ConsumerGroupCommand. */
  lag?: number;
  lagError?: string;
  /**
   * The external metric KEDA serves for the trigger, read through the API server as the Kafka tool starts
   * (`keda`) and again as soon as it has answered (`kedaAfter`): the tool's own reading of the broker falls
   * between the two (a JVM takes a second or two to start).
   */
  keda?: number;
  kedaAfter?: number;
  kedaError?: string;
  hpaDesired?: number;
  hpaCurrent?: number;
  /** The HPA's ScalingLimited reason when it clamped its recommendation (TooManyReplicas…). */
  limited?: string;
  spec: number;
}

export interface Sample extends Reading {
  /** Seconds since the first sample, at the middle of the reading. */
  t: number;
  at: string;
  phase: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Sampler {
  readonly samples: Sample[] = [];
  phase = 'baseline';
  private started = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private failure: unknown;

  constructor(private readonly read: () => Promise<Reading>, private readonly intervalMs = 3_000) {}

  start(): void {
    this.started = Date.now();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const begin = Date.now();
        try {
          const r = await this.read();
          const mid = (begin + Date.now()) / 2;
          this.samples.push({ ...r, t: Math.round((mid - this.started) / 100) / 10, at: new Date(mid).toISOString(), phase: this.phase });
        } catch (err) {
          this.failure = err;
          this.running = false;
          return;
        }
        await sleep(Math.max(0, this.intervalMs - (Date.now() - begin)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Seconds since the first sample, now. */
  now(): number {
    return Math.round((Date.now() - this.started) / 100) / 10;
  }

  /** Waits for a sample taken after this call that satisfies `ok`; returns it. */
  async until(what: string, ok: (s: Sample) => boolean, timeoutMs: number): Promise<Sample> {
    const from = this.samples.length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const hit = this.samples.slice(from).find(ok);
      if (hit) return hit;
      if (Date.now() > deadline) {
        const last = this.samples.at(-1);
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last sample: ${JSON.stringify(last)}`);
      }
      await sleep(250);
    }
  }

  /** Samples in phase `phase`, in order. */
  of(phase: string): Sample[] {
    return this.samples.filter((s) => s.phase === phase);
  }
}
