/**
 * The values document accepted by `flagstone value payout --values FILE`: the output of
 * `value shapley --json` — {"values":{owner:v,…},"stderr":{owner:se,…}} (stderr optional,
 * null meaning unknown) — and the address book {owner: "0x…"}.
 */
import { z } from 'zod';
import { InvalidPayoutError } from '../errors.ts';

const valuesSchema = z.object({
  values: z.record(z.string(), z.number().nullable()),
  stderr: z.record(z.string(), z.number().nullable()).optional(),
});

const addressesSchema = z.record(z.string(), z.string());

export interface ValuesDocument {
  readonly owners: string[];
  readonly values: number[];
  readonly stderr: number[];
}

function firstIssue(e: z.ZodError): string {
  const issue = e.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

export function parseValuesDocument(doc: unknown): ValuesDocument {
  const parsed = valuesSchema.safeParse(doc);
  if (!parsed.success) {
    throw new InvalidPayoutError('malformed values file', {
      details: `${firstIssue(parsed.error)}; want {"values":{"owner":v,…},"stderr":{…}}`,
    });
  }
  const owners = Object.keys(parsed.data.values);
  if (owners.length === 0) throw new InvalidPayoutError('values file lists no owners');
  const values = owners.map((o) => {
    const v = parsed.data.values[o];
    if (v === null || v === undefined) {
      throw new InvalidPayoutError('an owner has no value', {
        details: `"${o}" is null; rerun the valuation`,
      });
    }
    return v;
  });
  const stderr = owners.map((o) => {
    const s = parsed.data.stderr?.[o];
    return s === undefined ? 0 : s === null ? Infinity : s;
  });
  return { owners, values, stderr };
}

export function parseAddressBook(doc: unknown): Record<string, string> {
  const parsed = addressesSchema.safeParse(doc);
  if (!parsed.success) {
    throw new InvalidPayoutError('malformed addresses file', {
      details: `${firstIssue(parsed.error)}; want {"owner":"0x…",…}`,
    });
  }
  return parsed.data;
}
