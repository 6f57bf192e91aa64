/**
 * `flagstone value …`: Shapley royalties for data owners (DESIGN §7).
 *   value shapley      --table FILE --method M [--budget N] [--seed S] [--tolerance T] [--json]
 *   value knn-shapley  --train FILE.csv --test FILE.csv --label COL --k K [--group COL] [--standardize] [--json]
 *   value payout       --values FILE --pool AMOUNT [--opt-out a,b] [--addresses FILE] [--confidence C] [--json]
 * Results go to stdout (exact JSON with --json, a table otherwise); progress and errors to
 * stderr. Errors exit non-zero with one clear line. Output goes through commander's output
 * configuration so callers (tests, the service) can capture it.
 */
import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { UnknownMethodError, ValuationError } from '../../valuation/errors.ts';
import { csvToMatrix, LabelEncoder, parseCsv } from '../../valuation/io/csv.ts';
import { parseAddressBook, parseValuesDocument } from '../../valuation/io/values-file.ts';
import { standardize } from '../../valuation/knn/dataset.ts';
import type { ProgressReport } from '../../valuation/methods/driver.ts';
import {
  METHOD_NAMES,
  isMethodName,
  runMethod,
  DEFAULT_BUDGET,
} from '../../valuation/methods/index.ts';
import { knnShapley } from '../../valuation/methods/knn-shapley.ts';
import { planPayout, payoutPlanToJSON, type PayoutPlan } from '../../valuation/payout/plan.ts';
import { resultToJSON, type ValuationResult } from '../../valuation/result.ts';
import { tableGameFromJSON } from '../../valuation/utilities/table.ts';

/** A bad command-line input that is not a valuation error (unreadable file, bad number). */
class CliInputError extends Error {
  override name = 'CliInputError';
}

function write(cmd: Command, text: string): void {
  const out = cmd.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  out(text);
}

/** Reports an error on stderr and exits non-zero (throws CommanderError under exitOverride). */
function fail(cmd: Command, err: unknown): never {
  if (err instanceof ValuationError)
    cmd.error(`error: ${err.message}`, { exitCode: 1, code: err.code });
  if (err instanceof CliInputError)
    cmd.error(`error: ${err.message}`, { exitCode: 1, code: 'flagstone.value.input' });
  throw err;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const reason =
      e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e);
    throw new CliInputError(`cannot read ${what} "${path}": ${reason}`);
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliInputError(`${what} "${path}" is not valid JSON: ${(e as Error).message}`);
  }
}

function positiveInteger(name: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < 1) {
      throw new InvalidArgumentError(`${name} must be a positive integer.`);
    }
    return v;
  };
}

function positiveNumber(name: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!(v > 0) || !Number.isFinite(v))
      throw new InvalidArgumentError(`${name} must be a positive number.`);
    return v;
  };
}

const fmt = (x: number, digits = 6): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return (
    cells
      .map((r) =>
        r
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
          .join('  '),
      )
      .join('\n') + '\n'
  );
}

function resultTable(r: ValuationResult): string {
  const rows = [['player', 'value', '± stderr', 'samples']];
  r.players.forEach((p, i) =>
    rows.push([p, fmt(r.values[i]!), `± ${fmt(r.stderr[i]!)}`, String(r.counts[i])]),
  );
  const sum = r.values.reduce((a, b) => a + b, 0);
  rows.push(['(sum)', fmt(sum), '', '']);
  const state = r.converged ? 'converged' : 'not converged (budget reached)';
  return `${r.algorithm}: ${r.evaluations} utility evaluations, ${state}\n` + pad(rows);
}

/** A cli-progress bar on stderr when it is a terminal; a no-op otherwise. */
function progressBar(enabled: boolean): { update: (r: ProgressReport) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'evaluations {value}/{total} | max stderr {err} | {bar}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (r) => {
      const total = Number.isFinite(r.limit) ? r.limit : Math.max(r.evaluations, 1);
      if (!started) {
        bar.start(total, 0, { err: 'n/a' });
        started = true;
      }
      bar.setTotal(total);
      bar.update(r.evaluations, {
        err: Number.isFinite(r.maxStderr) ? r.maxStderr.toExponential(2) : 'n/a',
      });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

interface ShapleyOptions {
  table: string;
  method: string;
  budget?: number;
  seed: string;
  tolerance?: number;
  json?: boolean;
}

async function shapleyAction(opts: ShapleyOptions, cmd: Command): Promise<void> {
  try {
    if (!isMethodName(opts.method)) throw new UnknownMethodError(opts.method, METHOD_NAMES);
    const game = tableGameFromJSON(await readJson(opts.table, 'table file'));
    const bar = progressBar(!opts.json);
    let result: ValuationResult;
    try {
      result = await runMethod(opts.method, game, {
        ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
        ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
        seed: /^\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed,
        onProgress: bar.update,
      });
    } finally {
      bar.stop();
    }
    if (opts.json) write(cmd, JSON.stringify(resultToJSON(result)) + '\n');
    else write(cmd, resultTable(result));
  } catch (e) {
    fail(cmd, e);
  }
}

interface KnnOptions {
  train: string;
  test: string;
  label: string;
  k: number;
  group?: string;
  standardize?: boolean;
  json?: boolean;
}

async function knnAction(opts: KnnOptions, cmd: Command): Promise<void> {
  try {
    const encoder = new LabelEncoder();
    const trainTable = parseCsv(await readText(opts.train, 'training CSV'), opts.train);
    const testTable = parseCsv(await readText(opts.test, 'test CSV'), opts.test);
    const exclude = opts.group ? [opts.group] : [];
    const train = csvToMatrix(trainTable, opts.label, encoder, opts.train, { exclude });
    const test = csvToMatrix(testTable, opts.label, encoder, opts.test, {
      featureOrder: train.features,
    });
    const [trainM, testM] = opts.standardize
      ? standardize(train.matrix, test.matrix)
      : [train.matrix, test.matrix];
    let groups: { names: string[]; groupOf: Int32Array } | undefined;
    if (opts.group) {
      const col = trainTable.header.indexOf(opts.group);
      if (col < 0) throw new CliInputError(`no group column "${opts.group}" in ${opts.train}`);
      const names: string[] = [];
      const idx = new Map<string, number>();
      const groupOf = Int32Array.from(trainTable.rows, (r) => {
        const g = r[col]!.trim();
        if (!idx.has(g)) {
          idx.set(g, names.length);
          names.push(g);
        }
        return idx.get(g)!;
      });
      groups = { names, groupOf };
    }
    const { points, groups: grouped } = knnShapley({
      train: trainM,
      test: testM,
      k: opts.k,
      ...(groups ? { groups } : {}),
    });
    if (opts.json) {
      write(
        cmd,
        JSON.stringify({
          values: points.values,
          stderr: points.stderr,
          k: opts.k,
          nTrain: trainM.rows,
          nTest: testM.rows,
          features: train.features,
          ...(grouped ? { groups: resultToJSON(grouped) } : {}),
        }) + '\n',
      );
      return;
    }
    const order = points.values.map((_, j) => j);
    const shown =
      order.length <= 40
        ? order
        : [...order].sort((a, b) => points.values[b]! - points.values[a]!).slice(0, 20);
    const rows = [['row', 'value', '± stderr']];
    for (const j of shown)
      rows.push([String(j), fmt(points.values[j]!), `± ${fmt(points.stderr[j]!)}`]);
    let text = `knn-shapley: K=${opts.k}, ${trainM.rows} training rows, ${testM.rows} test rows, features ${train.features.join(', ')}\n`;
    if (shown.length < order.length)
      text += `top ${shown.length} rows by value (use --json for all):\n`;
    text += pad(rows);
    if (grouped) text += '\n' + resultTable(grouped);
    write(cmd, text);
  } catch (e) {
    fail(cmd, e);
  }
}

interface PayoutOptions {
  values: string;
  pool: string;
  optOut?: string;
  addresses?: string;
  confidence?: number;
  seed: string;
  json?: boolean;
}

function payoutTable(plan: PayoutPlan): string {
  const level = plan.statements[0]?.interval.level ?? 0.95;
  const rows = [
    [
      'owner',
      'value',
      '± stderr',
      'share',
      'amount',
      `${Math.round(level * 100)}% interval`,
      'address',
    ],
  ];
  for (const s of plan.statements) {
    rows.push([
      s.owner + (s.optedOut ? ' (opted out)' : ''),
      fmt(s.value),
      `± ${fmt(s.stderr)}`,
      `${(s.share * 100).toFixed(2)}%`,
      s.amount.toString(),
      `[${s.interval.low}, ${s.interval.high}]`,
      s.address ?? '-',
    ]);
  }
  const total = plan.statements.reduce((a, s) => a + s.amount, 0n);
  const root =
    plan.merkleRoot ??
    `unavailable: no address for ${plan.missingAddresses.join(', ')} (pass --addresses)`;
  return pad(rows) + `total ${total} of pool ${plan.pool}\nmerkle root ${root}\n`;
}

async function payoutAction(opts: PayoutOptions, cmd: Command): Promise<void> {
  try {
    if (!/^\d+$/.test(opts.pool.trim())) {
      throw new CliInputError(
        `pool must be a non-negative integer amount in smallest units, got "${opts.pool}"`,
      );
    }
    const doc = parseValuesDocument(await readJson(opts.values, 'values file'));
    const addresses = opts.addresses
      ? parseAddressBook(await readJson(opts.addresses, 'addresses file'))
      : undefined;
    const optOut = opts.optOut
      ? opts.optOut
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : [];
    const plan = planPayout({
      owners: doc.owners,
      values: doc.values,
      stderr: doc.stderr,
      pool: BigInt(opts.pool.trim()),
      optOut,
      ...(addresses ? { addresses } : {}),
      ...(opts.confidence !== undefined ? { confidence: opts.confidence } : {}),
      seed: opts.seed,
    });
    write(cmd, opts.json ? JSON.stringify(payoutPlanToJSON(plan)) + '\n' : payoutTable(plan));
  } catch (e) {
    fail(cmd, e);
  }
}

/** Adds the `value` command group to the flagstone program. */
export function registerValueCommands(program: Command): void {
  const value = program
    .command('value')
    .description('data valuation: Shapley royalties for data owners');

  value
    .command('shapley')
    .description('value the players of a game given by its utility table')
    .requiredOption('--table <file>', 'JSON {"players":[…],"utility":{"":u0,"a":u1,"a,b":u2,…}}')
    .requiredOption('--method <name>', `one of ${METHOD_NAMES.join('|')}`)
    .option(
      '--budget <n>',
      `utility evaluations for sampling methods (default ${DEFAULT_BUDGET})`,
      positiveInteger('--budget'),
    )
    .option('--seed <s>', 'PRNG seed (integer or string)', '0')
    .option(
      '--tolerance <t>',
      'also stop once every standard error is <= t',
      positiveNumber('--tolerance'),
    )
    .option('--json', 'print {"values":{…},"stderr":{…},"evaluations":n,…}')
    .action(shapleyAction);

  value
    .command('knn-shapley')
    .description(
      'exact KNN-Shapley values of training rows (Jia et al. 2019), averaged over test rows',
    )
    .requiredOption('--train <file>', 'training CSV with a header row')
    .requiredOption('--test <file>', 'test CSV with the same columns')
    .requiredOption('--label <column>', 'label column; every other column is a numeric feature')
    .requiredOption('--k <k>', 'number of neighbours', positiveInteger('--k'))
    .option(
      '--group <column>',
      'owner column in the training CSV: also print exact per-owner sums (faithful group values)',
    )
    .option('--standardize', 'z-score features with the training mean and standard deviation')
    .option('--json', 'print {"values":[v_0,…],"stderr":[…],…} in training-row order')
    .action(knnAction);

  value
    .command('payout')
    .description(
      'split a revenue pool by value: amounts, confidence intervals, Merkle root for RoyaltySplitter',
    )
    .requiredOption('--values <file>', 'output of `value shapley --json`')
    .requiredOption('--pool <amount>', 'revenue pool in smallest units (integer)')
    .option('--opt-out <owners>', 'comma-separated owners who opted out')
    .option('--addresses <file>', 'JSON {"owner":"0x…"}; owners that are addresses need no entry')
    .option(
      '--confidence <level>',
      'confidence level of the intervals (default 0.95)',
      positiveNumber('--confidence'),
    )
    .option('--seed <s>', 'seed of the interval bootstrap', 'payout-intervals')
    .option('--json', 'print the plan as JSON (amounts as decimal strings)')
    .action(payoutAction);
}
