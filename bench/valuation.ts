/**
 * Valuation benchmark (`npm run bench:valuation`), writes bench/results/valuation.json:
 *  1. A real 12-owner game — Palmer penguins, owners = colony survey teams, utility = held-out
 *     accuracy of a KNN species classifier trained on the coalition's records. All 2^12
 *     coalitions are evaluated once into a table (the cache); estimators then run on the table
 *     and are scored by their relative L2 error against the exact values (Shapley; exact
 *     Banzhaf for MSR Banzhaf), median over 20 seeds, at 100/300/1000/3000 evaluations.
 *  2. Exact KNN-Shapley time for N = 200,000 training flights (flights-200k) and 1,000 test
 *     flights (the first 1,000 of flights-2k), features = distance and departure time (z-scored),
 *     label = arrival delay > 15 minutes, K = 10.
 * Real data only, shipped by the vega-datasets package (DESIGN §8).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { popcount } from '../valuation/coalition.ts';
import { penguinGame } from '../valuation/datasets/penguins.ts';
import { standardize, type LabeledMatrix } from '../valuation/knn/dataset.ts';
import { banzhafFromTable, shapleyFromTable, tabulate } from '../valuation/methods/exact.ts';
import type { Game } from '../valuation/game.ts';
import { gpShapley } from '../valuation/methods/gp-shapley.ts';
import { runMethod } from '../valuation/methods/index.ts';
import { knnShapley } from '../valuation/methods/knn-shapley.ts';
import { relativeL2Error, type ValuationResult } from '../valuation/result.ts';
import { maxEvaluations } from '../valuation/stopping.ts';
import { tableGame } from '../valuation/utilities/table.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = (name: string) => join(root, 'node_modules', 'vega-datasets', 'data', name);

const BUDGETS = [100, 300, 1000, 3000];
const SEEDS = 20;
/**
 * Benchmark name → registry method; MSR Banzhaf is scored against exact Banzhaf values.
 * `gp-shapley-no-gates` is the ablation of gp-shapley's gate terms (not a registry method).
 */
const ESTIMATORS: {
  name: string;
  method: string;
  target: 'shapley' | 'banzhaf';
  run?: (game: Game, budget: number, seed: number) => Promise<ValuationResult>;
}[] = [
  { name: 'permutation', method: 'permutation', target: 'shapley' },
  { name: 'antithetic-permutation', method: 'antithetic', target: 'shapley' },
  { name: 'truncated-permutation', method: 'tmc', target: 'shapley' },
  { name: 'stratified', method: 'stratified', target: 'shapley' },
  { name: 'kernel-shap', method: 'kernel', target: 'shapley' },
  { name: 'gp-shapley', method: 'gp', target: 'shapley' },
  {
    name: 'gp-shapley-no-gates',
    method: 'gp',
    target: 'shapley',
    run: (game, budget, seed) =>
      gpShapley(game, { stopping: maxEvaluations(budget), seed, gates: false }),
  },
  { name: 'msr-banzhaf', method: 'msr-banzhaf', target: 'banzhaf' },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Relative RMSE predicted from the exact table (no finite-population correction) for plain
 * permutation sampling and for Stratified SVARM with the Neyman-optimal size allocation:
 * how much any allocation of that design could gain on this game.
 *   permutation: Σ_i Var_π(Δ_i) / m,  m = ⌊(B − 2)/(n − 1)⌋ permutations;
 *   SVARM:       (Σ_s √A_s)² / (B − 2n − 2),  A_s = n⁻² Σ_i [σ²⁺_{i,s}·n/s + σ²⁻_{i,s}·n/(n−s)].
 */
function predictedErrors(values: Float64Array, phi: number[], budgets: number[]) {
  const n = phi.length;
  const norm2 = phi.reduce((a, v) => a + v * v, 0);
  let permVar = 0;
  for (let i = 0; i < n; i++) {
    let second = 0;
    for (let mask = 0; mask < values.length; mask++) {
      if ((mask >>> i) & 1) continue;
      const d = values[mask | (1 << i)]! - values[mask]!;
      // Weight of S in the permutation distribution: |S|!(n−|S|−1)!/n!.
      const s = popcount(mask);
      let w = 1 / n;
      for (let k = 1; k <= s; k++) w *= k / (n - k);
      second += w * d * d;
    }
    permVar += second - phi[i]! ** 2;
  }
  let sqrtA = 0;
  for (let s = 2; s <= n - 2; s++) {
    let a = 0;
    for (let i = 0; i < n; i++) {
      for (const inside of [true, false]) {
        let sum = 0;
        let sumSq = 0;
        let c = 0;
        for (let mask = 0; mask < values.length; mask++) {
          if (popcount(mask) !== s || ((mask >>> i) & 1) !== (inside ? 1 : 0)) continue;
          sum += values[mask]!;
          sumSq += values[mask]! ** 2;
          c++;
        }
        const v = sumSq / c - (sum / c) ** 2;
        a += inside ? (v * n) / s : (v * n) / (n - s);
      }
    }
    sqrtA += Math.sqrt(a / (n * n));
  }
  return budgets.map((budget) => ({
    budget,
    permutationRelRmse: Math.sqrt(permVar / Math.floor((budget - 2) / (n - 1)) / norm2),
    stratifiedNeymanRelRmse: Math.sqrt((sqrtA * sqrtA) / (budget - 2 * n - 2) / norm2),
  }));
}

async function estimatorErrors() {
  const rows = JSON.parse(await readFile(data('penguins.json'), 'utf8'));
  const pg = penguinGame(rows);
  const t0 = performance.now();
  const table = await tabulate(pg.game);
  const tabulateSeconds = (performance.now() - t0) / 1000;
  const exact = { shapley: shapleyFromTable(table), banzhaf: banzhafFromTable(table) };
  const game = tableGame(pg.owners, table.values);
  const errors: {
    estimator: string;
    budget: number;
    relL2Median: number;
    target: string;
    seeds: number;
  }[] = [];
  for (const e of ESTIMATORS) {
    for (const budget of BUDGETS) {
      const errs: number[] = [];
      for (let seed = 0; seed < SEEDS; seed++) {
        const r = e.run
          ? await e.run(game, budget, seed)
          : await runMethod(e.method, game, { budget, seed });
        if (r.evaluations > budget)
          throw new Error(`${e.name} used ${r.evaluations} > ${budget} evaluations`);
        errs.push(relativeL2Error(r.values, exact[e.target]));
      }
      errors.push({
        estimator: e.name,
        budget,
        relL2Median: median(errs),
        target: e.target,
        seeds: SEEDS,
      });
      process.stderr.write(`${e.name} @ ${budget}: ${median(errs).toFixed(4)}\n`);
    }
  }
  return {
    game: {
      players: pg.owners,
      source: 'vega-datasets penguins.json (Palmer penguins; Gorman, Williams & Fraser 2014)',
      utility: pg.description,
      coalitions: table.values.length,
      tabulateSeconds,
      grandCoalitionUtility: table.values[table.values.length - 1],
      emptyCoalitionUtility: table.values[0],
      exactShapley: Object.fromEntries(pg.owners.map((o, i) => [o, exact.shapley[i]])),
      predictedErrors: predictedErrors(table.values, exact.shapley, BUDGETS),
    },
    errors,
  };
}

/** flights-2k rows carry a "YYYY/MM/DD HH:MM" date; flights-200k has the hour as `time`. */
function hourOf(date: string): number {
  const [, hm] = date.split(' ');
  const [h, m] = (hm ?? '0:0').split(':').map(Number);
  return h! + m! / 60;
}

async function knnTiming() {
  type Flight = { delay: number; distance: number; time?: number; date?: string };
  const train: Flight[] = JSON.parse(await readFile(data('flights-200k.json'), 'utf8'));
  const test: Flight[] = (
    JSON.parse(await readFile(data('flights-2k.json'), 'utf8')) as Flight[]
  ).slice(0, 1000);
  const matrix = (rows: Flight[]): LabeledMatrix => ({
    rows: rows.length,
    dim: 2,
    features: Float64Array.from(rows.flatMap((r) => [r.distance, r.time ?? hourOf(r.date!)])),
    labels: Int32Array.from(rows, (r) => (r.delay > 15 ? 1 : 0)),
  });
  const [trainM, testM] = standardize(matrix(train), matrix(test));
  const k = 10;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { points } = knnShapley({ train: trainM, test: testM, k });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sum = points.values.reduce((a, b) => a + b, 0);
  return {
    nTrain: trainM.rows,
    nTest: testM.rows,
    seconds,
    // Wall time depends on what else runs on the machine; CPU time is the steadier figure.
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    k,
    features: ['distance', 'time (hour of day)'],
    label: 'delay > 15 min',
    source: 'vega-datasets flights-200k.json (train), first 1000 rows of flights-2k.json (test)',
    // Efficiency check: Σ values = mean test accuracy-likelihood of the full K-NN.
    sumOfValues: sum,
  };
}

function printTable(errors: { estimator: string; budget: number; relL2Median: number }[]): void {
  const names = [...new Set(errors.map((e) => e.estimator))];
  const header = ['estimator', ...BUDGETS.map(String)];
  const rows = names.map((n) => [
    n,
    ...BUDGETS.map((b) =>
      errors.find((e) => e.estimator === n && e.budget === b)!.relL2Median.toFixed(4),
    ),
  ]);
  const perm = (b: number) =>
    errors.find((e) => e.estimator === 'permutation' && e.budget === b)!.relL2Median;
  const best = (b: number) =>
    Math.min(
      ...errors
        .filter((e) => e.budget === b && e.estimator !== 'msr-banzhaf')
        .map((e) => e.relL2Median),
    );
  rows.push(['best vs permutation', ...BUDGETS.map((b) => `${(perm(b) / best(b)).toFixed(1)}x`)]);
  const all = [header, ...rows];
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  for (const r of all)
    console.log(
      r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]!) : cell.padStart(w[c]!))).join('  '),
    );
}

const { game, errors } = await estimatorErrors();
const knn = await knnTiming();
const out = join(root, 'bench', 'results', 'valuation.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ game, errors, knn }, null, 2) + '\n');
console.log(
  `\nreal game: ${game.players.length} owners; relative L2 error vs exact (median of ${SEEDS} seeds) by budget:`,
);
printTable(errors);
console.log('predicted relative RMSE from the exact table (no finite-population correction):');
for (const p of game.predictedErrors) {
  console.log(
    `  ${String(p.budget).padStart(5)}: permutation ${p.permutationRelRmse.toFixed(4)}, ` +
      `Neyman-optimal stratified ${p.stratifiedNeymanRelRmse.toFixed(4)} ` +
      `(${(p.permutationRelRmse / p.stratifiedNeymanRelRmse).toFixed(1)}x)`,
  );
}
console.log(
  `\nKNN-Shapley: ${knn.nTrain} train x ${knn.nTest} test, K=${knn.k}: ` +
    `${knn.seconds.toFixed(2)} s wall, ${knn.cpuSeconds.toFixed(2)} s CPU`,
);
console.log(`wrote ${out}`);
