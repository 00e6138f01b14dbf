/** Median and spread of a set of samples, and the one-line JSON shape every figure is printed in. */

export interface Figure {
  readonly figure: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: number;
  readonly target: string;
  readonly unit: string;
  /** What went into the figure beyond the summary (the two sides of a ratio, raw counts...). */
  readonly detail?: Readonly<Record<string, number | string | boolean>>;
}

/** Linear interpolation between closest ranks (the usual "R-7" definition). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarize(
  name: string,
  samples: readonly number[],
  meta: { target: string; unit: string; detail?: Figure['detail']; digits?: number },
): Figure {
  const sorted = [...samples].sort((x, y) => x - y);
  const digits = meta.digits ?? 3;
  return {
    figure: name,
    median: round(percentile(sorted, 0.5), digits),
    p10: round(percentile(sorted, 0.1), digits),
    p90: round(percentile(sorted, 0.9), digits),
    runs: samples.length,
    target: meta.target,
    unit: meta.unit,
    ...(meta.detail ? { detail: meta.detail } : {}),
  };
}

export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((x, y) => x - y), 0.5);
}

/** A markdown table of the figures, for the terminal and for the README. */
export function table(figures: readonly Figure[]): string {
  const rows = [
    ['figure', 'median', 'p10', 'p90', 'runs', 'target', 'unit'],
    ['---', '---:', '---:', '---:', '---:', '---', '---'],
    ...figures.map((f) => [f.figure, String(f.median), String(f.p10), String(f.p90), String(f.runs), f.target, f.unit]),
  ];
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}
