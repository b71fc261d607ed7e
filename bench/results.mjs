// Shared by the benchmarks: command-line options, percentiles, the machine line of a result, and
// appending to bench/RESULTS.md.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const RESULTS = join(import.meta.dirname, 'RESULTS.md');

/** The value after `--name` on the command line, else `fallback`. */
export function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/** The p-th percentile (nearest rank) of `values`, in any order; NaN when there are none. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function machineLine(engine) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; engine: ${engine.description}`;
}

export function appendResult(markdown) {
  if (!existsSync(RESULTS)) {
    writeFileSync(
      RESULTS,
      '# Benchmark results\n\nEach section is one run; figures are ratios measured in that run (this machine is shared and noisy).\n\n',
    );
  }
  appendFileSync(RESULTS, `${markdown}\n`);
}
