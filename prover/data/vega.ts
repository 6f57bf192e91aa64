/** Reads JSON files shipped by the `vega-datasets` npm package (DESIGN §8: no downloads). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cache = new Map<string, unknown>();

/** Folder of the package's data files (the package exports only its index, so go via main). */
export function vegaDataDir(): string {
  return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');
}

/** Parsed rows of `data/<file>`; cached because several tests load the same file. */
export function readVegaJson<T>(file: string): T[] {
  let rows = cache.get(file);
  if (!rows) {
    rows = JSON.parse(readFileSync(path.join(vegaDataDir(), file), 'utf8'));
    cache.set(file, rows);
  }
  return rows as T[];
}
