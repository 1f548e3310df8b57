/**
 * What a `*.bench.ts` module reports. Each module exports `async function run(): Promise<…[]>`;
 * one call is one timed round, and `bench/run.ts` calls it several times (after a warm-up) to
 * report the median and spread of every figure.
 */
export interface BenchResult {
  /** Stable across runs: figures of the same name are grouped across rounds. */
  readonly name: string;
  readonly value: number;
  /** `sentences/s`, `ms`, `×` … */
  readonly unit: string;
  readonly notes?: string;
  /** The target this figure is judged against in BENCHMARKS.md. */
  readonly goal?: Goal;
}

/** `value op target`, e.g. `{op: '>=', target: 2_000_000}` for "at least 2 M/s". */
export interface Goal {
  readonly op: '>=' | '>' | '<=' | '<';
  readonly target: number;
}

/** The shorter shape some modules return (e.g. `ingest/ais/decode.bench.ts`); read as unit `ops/s`. */
export interface OpsResult {
  readonly name: string;
  readonly opsPerSec: number;
  readonly notes?: string;
}

export interface BenchModule {
  run(): Promise<readonly (BenchResult | OpsResult)[]>;
  /** Optional heading for the module's table; defaults to its path. */
  readonly title?: string;
}

export function meetsGoal(value: number, goal: Goal): boolean {
  switch (goal.op) {
    case '>=':
      return value >= goal.target;
    case '>':
      return value > goal.target;
    case '<=':
      return value <= goal.target;
    case '<':
      return value < goal.target;
  }
}
