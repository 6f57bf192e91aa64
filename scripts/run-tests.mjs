// The project's test command (`npm test`): the vitest suite (ledger, server, chain, prover,
// valuation, CLI) and the Hardhat contract suite, then one summary line:
//   tests: N passed, N failed, N skipped
// Exit code is non-zero when anything failed. Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bin = (name) => path.resolve('node_modules/.bin', name);
const outDir = mkdtempSync(path.join(tmpdir(), 'flagstone-tests-'));

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const vitestJson = path.join(outDir, 'vitest.json');
const vitest = await run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
  ...process.argv.slice(2),
]);
try {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
} catch {
  totals.failed += 1; // vitest crashed before reporting
}
if (vitest.code !== 0 && totals.failed === 0) totals.failed += 1;

if (process.argv.length <= 2) {
  const hardhat = await run(bin('hardhat'), ['test'], { capture: true });
  const count = (label) => Number((new RegExp(`(\\d+) ${label}`).exec(hardhat.out) ?? [0, 0])[1]);
  totals.passed += count('passing');
  totals.failed += count('failing');
  totals.skipped += count('pending');
  if (hardhat.code !== 0 && count('failing') === 0) totals.failed += 1;
}

process.stdout.write(
  `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed > 0 ? 1 : 0);
