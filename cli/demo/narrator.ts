/**
 * The demo's voice: numbered phases, indented detail lines and small tables, written to one
 * stream (stdout, or stderr when `--json` keeps stdout for the machine-readable summary).
 * Formatting helpers for wei, hashes and durations live here too, so every phase prints
 * numbers the same way.
 */
import { formatEther } from 'ethers';

export interface Writer {
  write(text: string): unknown;
}

export class Narrator {
  private readonly started = performance.now();
  private phaseStarted = performance.now();

  constructor(private readonly out: Writer) {}

  /** `== 3. Job ==` with the time since the demo started. */
  phase(n: number, title: string): void {
    this.phaseStarted = performance.now();
    this.out.write(
      `\n== ${n}. ${title} ${'='.repeat(Math.max(3, 66 - title.length))} [t+${seconds(performance.now() - this.started)}]\n`,
    );
  }

  /** A detail line of the current phase. */
  line(text = ''): void {
    this.out.write(text === '' ? '\n' : `   ${text}\n`);
  }

  /** A checked claim: `✓ text`. */
  ok(text: string): void {
    this.out.write(`   ✓ ${text}\n`);
  }

  /** Something the reader should not miss (a refusal, a miss of the random audit). */
  note(text: string): void {
    this.out.write(`   ! ${text}\n`);
  }

  /** Milliseconds since the current phase began. */
  phaseMs(): number {
    return performance.now() - this.phaseStarted;
  }

  /** Milliseconds since the demo began. */
  totalMs(): number {
    return performance.now() - this.started;
  }

  /** A left-aligned text table (first row is the header), indented like detail lines. */
  table(rows: readonly (readonly string[])[], indent = '   '): void {
    for (const line of formatTable(rows)) this.out.write(`${indent}${line}\n`);
  }

  raw(text: string): void {
    this.out.write(text);
  }
}

/** Table rows padded per column; numbers (and signed amounts) right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const numeric = (c: string) => c === '' || /^[+−-]?[0-9][0-9,.]*( [A-Za-z%/]+)?$/.test(c);
  // A column is right-aligned when every body cell in it is a number (with an optional unit).
  const right = widths.map((_, i) => rows.slice(1).every((row) => numeric(row[i] ?? '')));
  const out: string[] = [];
  rows.forEach((row, r) => {
    const cells = row.map((c, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
      return r > 0 && right[i] ? pad + c : c + pad;
    });
    out.push(cells.join('  ').trimEnd());
    if (r === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  return out;
}

/** `1.234 ETH` with up to 6 decimals (wei exact amounts are printed separately where needed). */
export function eth(wei: bigint): string {
  const neg = wei < 0n;
  const abs = neg ? -wei : wei;
  const [whole, frac = ''] = formatEther(abs).split('.');
  const trimmed = frac.slice(0, 6).replace(/0+$/, '');
  return `${neg ? '−' : ''}${whole}${trimmed ? `.${trimmed}` : ''} ETH`;
}

/** Signed ETH amount for balance changes: `+0.06 ETH`, `−0.2 ETH`, `0 ETH`. */
export function signedEth(wei: bigint): string {
  return wei > 0n ? `+${eth(wei)}` : eth(wei);
}

/** First and last hex digits of a hash or address. */
export function short(hex: string, keep = 10): string {
  return hex.length <= keep + 6 ? hex : `${hex.slice(0, keep)}…${hex.slice(-4)}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}
