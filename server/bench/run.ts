import { mkdir, readdir, writeFile } from 'node:fs/promises';
import type { BenchResult, BenchSuite } from './types.ts';

// `pnpm bench [name…]` runs every suite in bench/suites (or the named ones), prints one table and
// writes the figures to bench/results/<timestamp>.json. Baselines run inside the same process
// and the same run, so ratios compare like with like on whatever machine this is.
const dir = new URL('./suites/', import.meta.url);
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter(
  (f) => f.endsWith('.ts') && (only.length === 0 || only.some((o) => f.includes(o))),
);
const all: Array<BenchResult & { suite: string }> = [];
for (const file of files.sort()) {
  const suite = file.replace(/\.ts$/, '');
  process.stderr.write(`\n▶ ${suite}\n`);
  const mod = (await import(new URL(file, dir).href)) as { run: BenchSuite };
  for (const r of await mod.run()) {
    all.push({ suite, ...r });
    process.stderr.write(`  ${r.name}: ${fmt(r.value)} ${r.unit}\n`);
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

const rows = all.map((r) => ({
  suite: r.suite,
  measure: r.name,
  value: `${fmt(r.value)} ${r.unit}`,
  baseline: r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : '',
  ratio: r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
  goal: r.goal ?? '',
  met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
}));
console.table(rows);
const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
const file = new URL(`${new Date().toISOString().replace(/[:.]/g, '-')}.json`, out);
await writeFile(
  file,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2)}\n`,
);
console.log(`results written to ${file.pathname}`);
process.exit(0);
