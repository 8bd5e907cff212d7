/** One line of the benchmark table. */
export interface BenchResult {
  /** What was measured, e.g. "GET /campaigns/:id requests/s". */
  name: string;
  value: number;
  unit: string;
  /** The same work done by the baseline in the same run, when there is one. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or the inverse for "lower is better" units), computed by the suite. */
  ratio?: number;
  /** The goal in words, e.g. ">= 0.7x baseline" or "p99 < 50 ms". */
  goal?: string;
  /** Whether the goal was met, when it can be judged. */
  met?: boolean;
}

/** A suite: one file in bench/suites/ exporting `run` that measures one area end to end. */
export type BenchSuite = () => Promise<BenchResult[]>;
