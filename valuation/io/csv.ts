/**
 * Minimal RFC 4180 CSV parsing (quoted fields, doubled quotes, CRLF) and conversion of a
 * labelled table into a LabeledMatrix for the KNN methods. Pure: takes text, not paths.
 */
import { InvalidDataError } from '../errors.ts';
import type { LabeledMatrix } from '../knn/dataset.ts';

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Parses CSV text with a header row. Blank trailing lines are ignored. */
export function parseCsv(text: string, name = 'csv'): CsvTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field.length === 0) quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new InvalidDataError(`${name}: unterminated quoted field`);
  if (field.length > 0 || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonBlank = records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  if (nonBlank.length === 0)
    throw new InvalidDataError(`${name}: empty file`, { details: 'want a header row' });
  const header = nonBlank[0]!.map((h) => h.trim());
  const rows = nonBlank.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new InvalidDataError(`${name}: row ${k + 2} has the wrong number of fields`, {
        details: `got ${r.length}, want ${header.length}`,
      });
    }
  });
  return { header, rows };
}

/** Class dictionary shared by train and test so labels get the same ids. */
export class LabelEncoder {
  readonly classes: string[] = [];
  readonly #ids = new Map<string, number>();
  encode(label: string): number {
    let id = this.#ids.get(label);
    if (id === undefined) {
      id = this.classes.length;
      this.#ids.set(label, id);
      this.classes.push(label);
    }
    return id;
  }
}

/**
 * Features = every column except the label (and `exclude`), all numeric; labels compared as
 * trimmed strings. Feature columns are matched by name, so train and test may order them
 * differently; the result follows the first table's order.
 */
export function csvToMatrix(
  table: CsvTable,
  label: string,
  encoder: LabelEncoder,
  name: string,
  options: { exclude?: readonly string[]; featureOrder?: readonly string[] } = {},
): { matrix: LabeledMatrix; features: string[] } {
  const labelIdx = table.header.indexOf(label);
  if (labelIdx < 0) {
    throw new InvalidDataError(`${name}: no label column "${label}"`, {
      details: `columns are ${table.header.join(', ')}`,
    });
  }
  const excluded = new Set([label, ...(options.exclude ?? [])]);
  const features = options.featureOrder
    ? [...options.featureOrder]
    : table.header.filter((h) => !excluded.has(h));
  if (features.length === 0)
    throw new InvalidDataError(`${name}: no feature columns`, { details: `only "${label}"` });
  const cols = features.map((f) => {
    const idx = table.header.indexOf(f);
    if (idx < 0) throw new InvalidDataError(`${name}: missing feature column "${f}"`);
    return idx;
  });
  const dim = features.length;
  const data = new Float64Array(table.rows.length * dim);
  const labels = new Int32Array(table.rows.length);
  table.rows.forEach((r, k) => {
    cols.forEach((c, j) => {
      const raw = r[c]!.trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) {
        throw new InvalidDataError(`${name}: feature "${features[j]}" must be numeric`, {
          details: `row ${k + 2} has "${r[c]}"`,
        });
      }
      data[k * dim + j] = v;
    });
    labels[k] = encoder.encode(r[labelIdx]!.trim());
  });
  return { matrix: { rows: table.rows.length, dim, features: data, labels }, features };
}
