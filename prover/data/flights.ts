/**
 * US flights (vega-datasets flights-*.json): is a flight delayed by more than 15 minutes?
 * Features: log distance, time of day, weekday and month as sine/cosine pairs. Owners = origin
 * airport (the file has no carrier field).
 */
import type { TabularExamples } from './examples.ts';
import { featureStats, standardize, type FeatureStats } from './standardize.ts';
import { readVegaJson } from './vega.ts';

interface FlightRow {
  date: string; // "2001/01/01 06:55"
  delay: number;
  distance: number;
  origin: string;
  destination: string;
}

export const FLIGHT_FEATURES = ['logDistance', 'hourSin', 'hourCos', 'weekdaySin', 'weekdayCos', 'monthSin', 'monthCos'] as const;
export const DELAY_THRESHOLD_MIN = 15;

/** Parses "YYYY/MM/DD HH:MM" without time zones, so every machine gets the same features. */
function timeFeatures(date: string): number[] {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/.exec(date);
  if (!m) throw new Error(`bad flight date ${date}`);
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  const turn = (x: number, period: number) => (2 * Math.PI * x) / period;
  const hour = h + mi / 60;
  return [
    Math.sin(turn(hour, 24)), Math.cos(turn(hour, 24)),
    Math.sin(turn(weekday, 7)), Math.cos(turn(weekday, 7)),
    Math.sin(turn(mo - 1, 12)), Math.cos(turn(mo - 1, 12)),
  ];
}

export function loadFlights(file: string): { examples: TabularExamples; stats: FeatureStats } {
  const rows = readVegaJson<FlightRow>(file);
  const raw = rows.map((r) => [Math.log(r.distance), ...timeFeatures(r.date)]);
  const stats = featureStats(raw);
  return {
    stats,
    examples: {
      kind: 'tabular', count: rows.length, dim: FLIGHT_FEATURES.length, classes: 2,
      features: standardize(raw, stats),
      labels: Int32Array.from(rows, (r) => (r.delay > DELAY_THRESHOLD_MIN ? 1 : 0)),
      owners: rows.map((r) => r.origin),
    },
  };
}
