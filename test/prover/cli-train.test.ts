/** `flagstone train` (offline, --out) and `flagstone replay --dir`, run in-process through commander. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerTrainCommands } from '../../cli/commands/train.ts';
import { TRAINER_KEY, mlpSpec } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'flagstone-cli-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  const program = new Command('flagstone').exitOverride();
  registerTrainCommands(program);
  process.exitCode = 0;
  await program.parseAsync(['node', 'flagstone', ...args]);
  vi.restoreAllMocks();
  return { code: Number(process.exitCode ?? 0), out, err };
}

describe('flagstone train / replay (offline)', () => {
  const specFile = path.join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(mlpSpec('cpu', { steps: 8 })));

  it('records a job directory with entries, states and a private salt file', async () => {
    const out = path.join(dir, 'job');
    const r = await cli(
      'train',
      '--spec',
      specFile,
      '--out',
      out,
      '--trainer-key',
      TRAINER_KEY,
      '--flags',
      '1',
      '--no-progress',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 entries, final loss \d+\.\d+, held-out accuracy/);
    expect(existsSync(path.join(out, 'states', '2.bin'))).toBe(true);
    const salt = JSON.parse(readFileSync(`${out}.flags.json`, 'utf8'));
    expect(salt.indices).toHaveLength(1);
    expect(readFileSync(path.join(out, 'job.json'), 'utf8')).not.toContain(salt.salt);

    const replay = await cli('replay', '--dir', out);
    expect(replay.code).toBe(1); // the flagged segment does not reproduce its (perturbed) root
    expect(replay.out.match(/reproduced \[/g)).toHaveLength(1);
    expect(replay.out).toMatch(
      new RegExp(`→${salt.indices[0]}: did not reproduce .* flag or fraud`),
    );
  });

  it('exits 0 when every segment reproduces, and 2 on a bad spec', async () => {
    const out = path.join(dir, 'job0');
    expect(
      (
        await cli(
          'train',
          '--spec',
          specFile,
          '--out',
          out,
          '--trainer-key',
          TRAINER_KEY,
          '--flags',
          '0',
          '--no-progress',
        )
      ).code,
    ).toBe(0);
    expect((await cli('replay', '--dir', out)).code).toBe(0);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ model: { kind: 'mlp' } }));
    const r = await cli('train', '--spec', bad, '--out', path.join(dir, 'x'), '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid job spec: optimizer/);
  });
});
