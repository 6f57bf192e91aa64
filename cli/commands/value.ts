/**
 * `flagstone value …`: Shapley royalties for data owners (DESIGN §7).
 *   value shapley      (--table FILE | --utility penguins-knn|penguins-mlp) --method M [--budget N] [--seed S]
 *                      [--tolerance T] [--steps N] [--log FILE] [--json]
 *   value copyright    [--owners N] [--titles-per-owner M] [--base-titles B] [--outputs K | --output X…]
 *                      [--pretrain-steps P] [--epochs E] [--backend cpu|wasm] [--method M] [--json]
 *   value knn-shapley  --train FILE.csv --test FILE.csv --label COL --k K [--group COL] [--standardize] [--json]
 *   value payout       --values FILE --pool AMOUNT [--opt-out a,b] [--addresses FILE] [--confidence C] [--json]
 *   value audit        --service URL --id ID [--key VKEY] [--samples K] [--seed S] [--json]  (value-audit.ts)
 * Results go to stdout (exact JSON with --json, a table otherwise); progress and errors to
 * stderr. Errors exit non-zero with one clear line. Output goes through commander's output
 * configuration so callers (tests, the service) can capture it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { jsonHash } from '../../ledger/index.ts';
import { UnknownMethodError, ValuationError } from '../../valuation/errors.ts';
import { withEvaluationLog } from '../../valuation/evaluation-log.ts';
import type { Game } from '../../valuation/game.ts';
import { ValuationLog, encodeLogEntry } from '../../valuation/log.ts';
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
import { tableGameFromJSON, tableGameToJSON } from '../../valuation/utilities/table.ts';
import { buildGame, type GameDescriptor } from '../../valuation/utilities/game-catalog.ts';
import { CoalitionModels } from '../../valuation/utilities/coalition-models.ts';
import { sampleOutputs, valueCopyright } from '../../valuation/utilities/copyright.ts';
import { movieTitles, titlesOf } from '../../valuation/utilities/movie-titles.ts';
import { registerValueAuditCommand } from './value-audit.ts';

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

interface ProgressBar {
  /** A sampling estimator's report: evaluations, cap and current max standard error. */
  update: (r: ProgressReport) => void;
  /** One more utility evaluation finished (training utilities: each takes a while). */
  evaluated: (count: number, total: number) => void;
  stop: () => void;
}

/** A cli-progress bar on stderr when it is a terminal; a no-op otherwise. */
function progressBar(enabled: boolean): ProgressBar {
  if (!enabled || !process.stderr.isTTY) {
    return { update: () => {}, evaluated: () => {}, stop: () => {} };
  }
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
  let err = 'n/a';
  const show = (value: number, total: number) => {
    if (!started) {
      bar.start(total, 0, { err });
      started = true;
    }
    bar.setTotal(Math.max(total, value, 1));
    bar.update(value, { err });
  };
  return {
    update: (r) => {
      err = Number.isFinite(r.maxStderr) ? r.maxStderr.toExponential(2) : 'n/a';
      show(r.evaluations, Number.isFinite(r.limit) ? r.limit : r.evaluations);
    },
    evaluated: show,
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Named real games for `--utility` (the same catalog the service offers). */
const UTILITIES = ['penguins-knn', 'penguins-mlp'] as const;

interface ShapleyOptions {
  table?: string;
  utility?: string;
  steps?: number;
  method: string;
  budget?: number;
  seed: string;
  tolerance?: number;
  log?: string;
  json?: boolean;
}

async function describedGame(opts: ShapleyOptions): Promise<GameDescriptor> {
  if ((opts.table === undefined) === (opts.utility === undefined)) {
    throw new CliInputError('give exactly one of --table FILE and --utility NAME');
  }
  if (opts.table !== undefined) {
    const doc = tableGameToJSON(tableGameFromJSON(await readJson(opts.table, 'table file')));
    return { kind: 'table', ...doc };
  }
  if (opts.utility === 'penguins-knn') return { kind: 'penguins-knn', k: 5 };
  if (opts.utility === 'penguins-mlp') {
    return { kind: 'penguins-mlp', steps: opts.steps ?? 100, seed: 1, metric: 'accuracy' };
  }
  throw new CliInputError(
    `unknown --utility "${opts.utility}", want one of ${UTILITIES.join(', ')}`,
  );
}

async function shapleyAction(opts: ShapleyOptions, cmd: Command): Promise<void> {
  try {
    if (!isMethodName(opts.method)) throw new UnknownMethodError(opts.method, METHOD_NAMES);
    const descriptor = await describedGame(opts);
    const seed = /^\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
    const bar = progressBar(!opts.json);
    // Same id as the service's POST /v1/valuations for this request, so the logs agree.
    const log = new ValuationLog(
      jsonHash({
        v: 1,
        game: descriptor,
        method: opts.method,
        budget: opts.budget ?? null,
        seed,
        tolerance: opts.tolerance ?? null,
        pool: null,
      }),
    );
    let game: Game = buildGame(descriptor);
    // Log (and count) evaluations when asked to, and for training games, which are slow.
    if (opts.log !== undefined || descriptor.kind !== 'table') {
      const total = ['exact', 'banzhaf'].includes(opts.method)
        ? 2 ** game.players.length
        : (opts.budget ?? DEFAULT_BUDGET);
      game = withEvaluationLog(game, (record) => {
        log.append(record);
        bar.evaluated(log.size, total);
      });
    }
    let result: ValuationResult;
    try {
      result = await runMethod(opts.method, game, {
        ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
        ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
        seed,
        onProgress: bar.update,
      });
    } finally {
      bar.stop();
    }
    if (opts.log !== undefined) {
      // One leaf per line: the exact RFC 8785 leaf bytes, so anyone can recompute the root.
      const lines = log.entries.map((e) => new TextDecoder().decode(encodeLogEntry(e)) + '\n');
      await writeFile(opts.log, lines.join(''));
    }
    const logHead =
      opts.log !== undefined
        ? { valuationId: log.valuationId, size: log.size, rootHex: log.rootHex() }
        : undefined;
    if (opts.json)
      write(
        cmd,
        JSON.stringify({ ...resultToJSON(result), ...(logHead ? { log: logHead } : {}) }) + '\n',
      );
    else {
      write(cmd, resultTable(result));
      if (logHead)
        write(cmd, `log ${opts.log}: ${logHead.size} evaluations, root ${logHead.rootHex}\n`);
    }
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

interface CopyrightOptions {
  owners: number;
  titlesPerOwner?: number;
  baseTitles?: number;
  outputs: number;
  output?: string[];
  context: number;
  dModel: number;
  pretrainSteps: number;
  epochs: number;
  batch: number;
  seed: number;
  backend: string;
  method?: string;
  budget?: number;
  json?: boolean;
}

async function copyrightAction(opts: CopyrightOptions, cmd: Command): Promise<void> {
  try {
    const method = opts.method;
    if (method !== undefined && !isMethodName(method))
      throw new UnknownMethodError(method, METHOD_NAMES);
    if (opts.backend !== 'cpu' && opts.backend !== 'wasm') {
      throw new CliInputError(`--backend must be cpu or wasm, got "${opts.backend}"`);
    }
    const data = movieTitles({
      context: opts.context,
      ownerCount: opts.owners,
      ...(opts.titlesPerOwner !== undefined ? { maxTitlesPerOwner: opts.titlesPerOwner } : {}),
      ...(opts.baseTitles !== undefined ? { maxBaseTitles: opts.baseTitles } : {}),
    });
    const models = new CoalitionModels(data, {
      model: {
        context: opts.context,
        dModel: opts.dModel,
        heads: 2,
        layers: 1,
        ffHidden: 2 * opts.dModel,
      },
      optimizer: { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      batchSize: opts.batch,
      pretrainSteps: opts.pretrainSteps,
      fineTuneEpochs: opts.epochs,
      seed: opts.seed,
      backend: opts.backend,
    });
    const bar = progressBar(!opts.json);
    try {
      const outputs = opts.output?.length
        ? opts.output
        : await sampleOutputs(models, opts.outputs, opts.seed);
      const n = data.owners.length;
      const perOutput =
        method === undefined || method === 'exact' || method === 'banzhaf'
          ? 2 ** n
          : (opts.budget ?? DEFAULT_BUDGET);
      let done = 0;
      const valued = await valueCopyright(models, outputs, {
        ...(method !== undefined ? { method } : {}),
        ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
        seed: opts.seed,
        wrap: (game) =>
          withEvaluationLog(game, () => bar.evaluated(++done, perOutput * outputs.length)),
      });
      bar.stop();
      const doc = {
        owners: data.owners,
        titles: data.shards.map((s) => s.count),
        baseTitles: data.base.count,
        modelsTrained: models.trained,
        outputs: valued.map(({ output, result }) => ({
          output,
          copiedFrom: data.owners.filter((_, i) =>
            titlesOf(data.shards[i]!, data.vocab).includes(output),
          ),
          ...resultToJSON(result),
        })),
      };
      if (opts.json) write(cmd, JSON.stringify(doc) + '\n');
      else {
        let text = `copyright LLR: ${n} owners (${doc.titles.join('/')} titles), ${doc.baseTitles} public base titles, ${models.trained} models trained\n`;
        for (const { output, result } of valued)
          text += `\n${JSON.stringify(output)}\n` + resultTable(result);
        write(cmd, text);
      }
    } finally {
      bar.stop();
      await models.dispose();
    }
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
    .description('value the players of a game: a utility table, or a named real game')
    .option('--table <file>', 'JSON {"players":[…],"utility":{"":u0,"a":u1,"a,b":u2,…}}')
    .option(
      '--utility <name>',
      `a real game instead of a table: ${UTILITIES.join('|')} (penguins-mlp trains a model per coalition)`,
    )
    .option(
      '--steps <n>',
      'training steps per coalition for penguins-mlp (default 100)',
      positiveInteger('--steps'),
    )
    .option('--log <file>', 'write the evaluation log: one RFC 8785 leaf per line')
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
    .command('copyright')
    .description(
      'copyright royalties (Wang et al. 2024): Shapley values of distributors for outputs of a movie-title charlm',
    )
    .option(
      '--owners <n>',
      'the n largest distributors are the owners',
      positiveInteger('--owners'),
      7,
    )
    .option(
      '--titles-per-owner <n>',
      "cap each owner's titles (hash-ranked sample)",
      positiveInteger('--titles-per-owner'),
    )
    .option(
      '--base-titles <n>',
      'cap the public base titles (hash-ranked sample)',
      positiveInteger('--base-titles'),
    )
    .option(
      '--outputs <k>',
      'outputs sampled from the model trained on base + all owners',
      positiveInteger('--outputs'),
      3,
    )
    .option('--output <text...>', 'value these outputs instead of sampled ones')
    .option(
      '--context <n>',
      'characters of context (longer titles are cut)',
      positiveInteger('--context'),
      24,
    )
    .option('--d-model <n>', 'charlm width', positiveInteger('--d-model'), 32)
    .option(
      '--pretrain-steps <n>',
      'steps of the base model θ(∅) on public titles',
      positiveInteger('--pretrain-steps'),
      400,
    )
    .option(
      '--epochs <n>',
      "fine-tuning epochs over a coalition's titles",
      positiveInteger('--epochs'),
      2,
    )
    .option('--batch <n>', 'batch size', positiveInteger('--batch'), 16)
    .option('--seed <n>', 'training and sampling seed', positiveInteger('--seed'), 1)
    .option('--backend <name>', 'tfjs backend: cpu or wasm', 'wasm')
    .option(
      '--method <name>',
      `estimator (default exact up to 8 owners, kernel beyond): ${METHOD_NAMES.join('|')}`,
    )
    .option(
      '--budget <n>',
      'evaluations per output for sampling methods',
      positiveInteger('--budget'),
    )
    .option('--json', 'print {owners, outputs:[{output, values, stderr, …}], …}')
    .action(copyrightAction);

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

  registerValueAuditCommand(value);
}
