/** Palmer penguins (vega-datasets penguins.json): species from body measurements; owners = islands. */
import type { TabularExamples } from './examples.ts';
import { featureStats, standardize, type FeatureStats } from './standardize.ts';
import { readVegaJson } from './vega.ts';

interface PenguinRow {
  Species: string;
  Island: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
  Sex: string | null;
}

export const PENGUIN_FEATURES = ['beakLength', 'beakDepth', 'flipperLength', 'bodyMass', 'sex'] as const;
export const PENGUIN_CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'] as const;

/** All usable rows in file order (rows missing a measurement are dropped); sex: +1 / −1 / 0. */
export function loadPenguins(): { examples: TabularExamples; stats: FeatureStats } {
  const rows = readVegaJson<PenguinRow>('penguins.json').filter(
    (r) => r['Beak Length (mm)'] != null && r['Beak Depth (mm)'] != null && r['Flipper Length (mm)'] != null && r['Body Mass (g)'] != null,
  );
  const raw = rows.map((r) => [
    r['Beak Length (mm)']!, r['Beak Depth (mm)']!, r['Flipper Length (mm)']!, r['Body Mass (g)']!,
    r.Sex === 'MALE' ? 1 : r.Sex === 'FEMALE' ? -1 : 0,
  ]);
  const stats = featureStats(raw);
  const labels = Int32Array.from(rows, (r) => {
    const c = PENGUIN_CLASSES.indexOf(r.Species as (typeof PENGUIN_CLASSES)[number]);
    if (c < 0) throw new Error(`unknown penguin species ${r.Species}`);
    return c;
  });
  return {
    stats,
    examples: {
      kind: 'tabular', count: rows.length, dim: PENGUIN_FEATURES.length, classes: PENGUIN_CLASSES.length,
      features: standardize(raw, stats), labels, owners: rows.map((r) => r.Island),
    },
  };
}
