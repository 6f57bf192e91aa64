import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValue } from './helpers/run-value.ts';
import { gloveGame } from '../../valuation/games/index.ts';
import { METHOD_NAMES } from '../../valuation/methods/index.ts';
import { tabulate } from '../../valuation/methods/exact.ts';
import { tableGame, tableGameToJSON } from '../../valuation/utilities/table.ts';
import { verifyClaim } from '../../valuation/payout/merkle.ts';

let dir = '';
const file = (name: string) => join(dir, name);

const run = runValue;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flagstone-value-'));
  const t = await tabulate(gloveGame(1, 2).game);
  const doc = tableGameToJSON(tableGame(['left', 'right1', 'right2'], t.values));
  await writeFile(file('glove.json'), JSON.stringify(doc));
  const t8 = await tabulate(gloveGame(3, 5).game);
  await writeFile(
    file('glove8.json'),
    JSON.stringify(tableGameToJSON(tableGame(t8.players, t8.values))),
  );
  await writeFile(
    file('missing.json'),
    JSON.stringify({ players: ['a', 'b'], utility: { '': 0, a: 1, b: 1 } }),
  );
  await writeFile(file('broken.json'), '{"players": [');
  await writeFile(file('train.csv'), 'x,y,label\n0,0,a\n1,0,a\n0,1,b\n"1",1,b\n0,0,b\n');
  await writeFile(file('test.csv'), 'label,y,x\na,0,0.2\nb,1,0.9\n');
  await writeFile(file('train-grouped.csv'), 'x,owner,label\n0,p,a\n1,p,a\n2,q,b\n3,q,b\n');
  await writeFile(file('test1.csv'), 'x,label\n0.5,a\n');
});

afterAll(() => {
  // Temporary files are left to the OS temp cleaner; nothing else to release.
});

describe('value shapley', () => {
  it('prints exactly the documented JSON', async () => {
    const { out, code } = await run(
      'shapley',
      '--table',
      file('glove.json'),
      '--method',
      'exact',
      '--json',
    );
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.values.left).toBeCloseTo(2 / 3, 12);
    expect(json.values.right1).toBeCloseTo(1 / 6, 12);
    expect(json.stderr).toEqual({ left: 0, right1: 0, right2: 0 });
    expect(json.evaluations).toBe(8);
  });

  it.each(METHOD_NAMES)('runs --method %s', async (method) => {
    const { out, code, err } = await run(
      'shapley',
      '--table',
      file('glove8.json'),
      '--method',
      method,
      '--budget',
      '120',
      '--seed',
      '3',
      '--json',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json.values)).toHaveLength(8);
    expect(Object.keys(json.stderr)).toHaveLength(8);
    expect(json.evaluations).toBeLessThanOrEqual(
      method === 'exact' || method === 'banzhaf' || method === 'loo' ? 256 : 120,
    );
  });

  it('prints a table of values ± error without --json', async () => {
    const { out } = await run(
      'shapley',
      '--table',
      file('glove8.json'),
      '--method',
      'stratified',
      '--budget',
      '100',
    );
    expect(out).toMatch(/^stratified: 100 utility evaluations, not converged/);
    expect(out).toContain('L0');
    expect(out).toContain('±');
  });

  it('stops early with --tolerance', async () => {
    const { out } = await run(
      'shapley',
      '--table',
      file('glove8.json'),
      '--method',
      'permutation',
      '--budget',
      '100000',
      '--tolerance',
      '0.05',
      '--json',
    );
    const json = JSON.parse(out);
    expect(json.converged).toBe(true);
    expect(json.evaluations).toBeLessThan(100000);
  });

  it.each([
    [['--table', 'nope.json', '--method', 'exact'], /cannot read table file .*nope\.json.*ENOENT/],
    [
      ['--table', 'missing.json', '--method', 'exact'],
      /missing coalitions: got 3 of 4 coalitions; missing "a,b"/,
    ],
    [['--table', 'broken.json', '--method', 'exact'], /not valid JSON/],
    [['--table', 'glove.json', '--method', 'magic'], /unknown valuation method "magic"/],
    [
      ['--table', 'glove.json', '--method', 'exact', '--budget', '-3'],
      /--budget must be a positive integer/,
    ],
    [
      ['--table', 'glove8.json', '--method', 'stratified', '--budget', '5'],
      /budget too small for stratified: got 5 evaluations/,
    ],
  ])('fails clearly on bad input %#', async (args, message) => {
    const withDir = args.map((a) => (a.endsWith('.json') ? file(a) : a));
    const { code, err, out } = await run('shapley', ...withDir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});

describe('value knn-shapley', () => {
  it('prints values in training-row order, averaged over test rows', async () => {
    const { out, code } = await run(
      'knn-shapley',
      '--train',
      file('train.csv'),
      '--test',
      file('test.csv'),
      '--label',
      'label',
      '--k',
      '2',
      '--json',
    );
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.values).toHaveLength(5);
    expect(json.nTrain).toBe(5);
    expect(json.nTest).toBe(2);
    // Efficiency per test point: Σ values = mean over test points of U(N) (K=2 nearest).
    // Test (0.2,0)→a: nearest (0,0)a,(0,0)b [tie kept in row order] → 1/2; test (0.9,1)→b: (1,1)b,(0,1)b → 1.
    expect(json.values.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(0.75, 12);
  });

  it('sums values per owner with --group', async () => {
    const { out } = await run(
      'knn-shapley',
      '--train',
      file('train-grouped.csv'),
      '--test',
      file('test1.csv'),
      '--label',
      'label',
      '--k',
      '1',
      '--group',
      'owner',
      '--json',
    );
    const json = JSON.parse(out);
    expect(json.groups.values.p).toBeCloseTo(json.values[0] + json.values[1], 12);
    expect(json.groups.values.q).toBeCloseTo(json.values[2] + json.values[3], 12);
  });

  it('fails clearly on a missing label column', async () => {
    const { code, err } = await run(
      'knn-shapley',
      '--train',
      file('train.csv'),
      '--test',
      file('test.csv'),
      '--label',
      'nope',
      '--k',
      '2',
    );
    expect(code).toBe(1);
    expect(err).toMatch(/no label column "nope"/);
  });
});

describe('value payout', () => {
  it('pays the pool exactly with a verifiable Merkle root', async () => {
    const values = await run(
      'shapley',
      '--table',
      file('glove.json'),
      '--method',
      'permutation',
      '--budget',
      '300',
      '--json',
    );
    await writeFile(file('values.json'), values.out);
    const addresses = {
      left: '0x' + '1'.repeat(40),
      right1: '0x' + '2'.repeat(40),
      right2: '0x' + '3'.repeat(40),
    };
    await writeFile(file('addresses.json'), JSON.stringify(addresses));
    const { out, code } = await run(
      'payout',
      '--values',
      file('values.json'),
      '--pool',
      '1000000000000000000',
      '--addresses',
      file('addresses.json'),
      '--opt-out',
      'right2',
      '--json',
    );
    expect(code).toBe(0);
    const plan = JSON.parse(out);
    expect(plan.total).toBe('1000000000000000000');
    const right2 = plan.statements.find((s: { owner: string }) => s.owner === 'right2');
    expect(right2.amount).toBe('0');
    for (const s of plan.statements) {
      if (s.amount !== '0')
        expect(verifyClaim(plan.merkleRoot, s.address, BigInt(s.amount), s.proof)).toBe(true);
      expect(
        BigInt(s.interval.low) <= BigInt(s.amount) && BigInt(s.amount) <= BigInt(s.interval.high),
      ).toBe(true);
    }
  });

  it('prints a statement table and explains a missing root', async () => {
    await writeFile(
      file('v2.json'),
      JSON.stringify({ values: { a: 0.5, b: 0.25 }, stderr: { a: 0.01, b: null } }),
    );
    const { out, code } = await run('payout', '--values', file('v2.json'), '--pool', '100');
    expect(code).toBe(0);
    expect(out).toContain('total 100 of pool 100');
    expect(out).toMatch(/merkle root unavailable: no address for a, b/);
  });

  it('rejects a fractional pool', async () => {
    const { code, err } = await run('payout', '--values', file('v2.json'), '--pool', '10.5');
    expect(code).toBe(1);
    expect(err).toMatch(/pool must be a non-negative integer/);
  });
});

describe('as a separate process', () => {
  it('prints JSON on stdout and exits non-zero with a message on stderr', async () => {
    // .mts: an ES module wherever it lives; absolute imports: the temp dir has no node_modules.
    const runner = file('runner.mts');
    const entry = resolve('cli/commands/value.ts');
    const commander = createRequire(import.meta.url).resolve('commander');
    await writeFile(
      runner,
      `import { Command } from ${JSON.stringify(commander)};\nimport { registerValueCommands } from ${JSON.stringify(entry)};\n` +
        `const p = new Command('flagstone');\nregisterValueCommands(p);\nawait p.parseAsync(process.argv);\n`,
    );
    const exec = promisify(execFile);
    const ok = await exec(
      'npx',
      [
        'tsx',
        runner,
        'value',
        'shapley',
        '--table',
        file('glove.json'),
        '--method',
        'kernel',
        '--budget',
        '8',
        '--json',
      ],
      {
        cwd: resolve('.'),
      },
    );
    expect(JSON.parse(ok.stdout).values.left).toBeCloseTo(2 / 3, 8);
    const bad = await exec(
      'npx',
      ['tsx', runner, 'value', 'shapley', '--table', file('missing.json'), '--method', 'exact'],
      {
        cwd: resolve('.'),
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/missing coalitions/);
  }, 60_000);
});
