import { performance } from 'node:perf_hooks';

export interface LoadSpec {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  maxFlows: number;
  /** One whole flow by worker `worker`; rejects when the flow failed. */
  flow(worker: number): Promise<unknown>;
  /** Called between warm-up and measurement, to take CPU readings of the processes. */
  onMeasureStart?(): void;
}

export interface LoadResult {
  latenciesMs: number[];
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
}

const keptErrorSamples = 5;

/**
 * Closed loop: `concurrency` workers each start the next flow as soon as their last one ends.
 * A warm-up phase is run and thrown away (connections, JIT); then flows are counted until the
 * deadline or `maxFlows`, and the elapsed time includes the flows still in flight at the end.
 */
export async function runClosedLoop(spec: LoadSpec): Promise<LoadResult> {
  await phase(spec, spec.warmupMs, spec.maxFlows);
  spec.onMeasureStart?.();
  const started = performance.now();
  const result = await phase(spec, spec.measureMs, spec.maxFlows);
  return { ...result, elapsedMs: performance.now() - started };
}

async function phase(spec: LoadSpec, durationMs: number, maxFlows: number) {
  const deadline = performance.now() + durationMs;
  const latenciesMs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let started = 0;

  async function worker(index: number): Promise<void> {
    while (performance.now() < deadline && started < maxFlows) {
      started += 1;
      const begin = performance.now();
      try {
        await spec.flow(index);
        latenciesMs.push(performance.now() - begin);
      } catch (error) {
        errors += 1;
        if (errorSamples.length < keptErrorSamples) errorSamples.push(describe(error));
      }
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, (_, index) => worker(index)));
  return { latenciesMs, errors, errorSamples };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
