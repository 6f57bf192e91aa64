/** Training on real data learns (issue 4): penguin species well above chance; charlm loss falls. */
import { describe, expect, it } from 'vitest';
import { loadData } from '../../prover/data/index.ts';
import { useBackend } from '../../prover/env.ts';
import { planFlags } from '../../prover/flags.ts';
import { parseSpec } from '../../prover/spec.ts';
import { evaluate } from '../../prover/train/evaluate.ts';
import { train } from '../../prover/train/session.ts';
import { MemorySink } from '../../prover/train/sinks.ts';
import { Trainer } from '../../prover/train/trainer.ts';
import { DOMAIN, JOB_ID, trainer } from './helpers.ts';

const run = async (spec: ReturnType<typeof parseSpec>) => {
  const out = await train({
    spec,
    jobId: JOB_ID,
    sink: new MemorySink(),
    signer: trainer,
    domain: DOMAIN,
    flags: planFlags({ entryCount: 1 + Math.ceil(spec.steps / spec.checkpointInterval), count: 0 }),
    keepTrainer: true,
  });
  return out.trainer!;
};

describe('learning on vega-datasets', () => {
  it('penguins: held-out species accuracy far above chance', async () => {
    const spec = parseSpec({
      model: { kind: 'mlp', hidden: [16] },
      optimizer: { kind: 'adam', learningRate: 0.02 },
      batchSize: 32,
      steps: 120,
      checkpointInterval: 20,
      seed: 1,
      backend: 'wasm',
      data: { dataset: 'penguins' },
    });
    const t = await run(spec);
    const data = loadData(spec.data, spec.model);
    const ev = await evaluate(t, data.heldOut);
    t.dispose();
    const counts = [0, 0, 0];
    if (data.heldOut.kind === 'tabular') for (const y of data.heldOut.labels) counts[y]!++;
    const chance = Math.max(...counts) / data.heldOut.count;
    expect(chance).toBeLessThan(0.6);
    expect(ev.accuracy).toBeGreaterThan(0.9);
  });

  it('charlm: held-out loss per character falls well below its starting value', async () => {
    const spec = parseSpec({
      model: { kind: 'charlm', context: 16, dModel: 32, heads: 2, layers: 1, ffHidden: 64 },
      optimizer: { kind: 'adam', learningRate: 0.01 },
      batchSize: 16,
      steps: 60,
      checkpointInterval: 20,
      seed: 5,
      backend: 'wasm',
      data: { dataset: 'movies' },
    });
    await useBackend('wasm');
    const data = loadData(spec.data, spec.model);
    const init = Trainer.init(spec, data);
    const before = await evaluate(init, data.heldOut);
    init.dispose();
    const t = await run(spec);
    const after = await evaluate(t, data.heldOut);
    t.dispose();
    expect(before.loss).toBeGreaterThan(4);
    expect(after.loss).toBeLessThan(before.loss - 1);
  });
});
