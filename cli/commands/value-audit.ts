/**
 * `flagstone value audit --service URL --id ID [--key VKEY] [--samples K] [--seed S] [--json]`:
 * fetches a published valuation, its whole evaluation log and (unless --key pins it) the log
 * key, then runs the checks of valuation/audit.ts: request hash, signed head, log root,
 * metadata, estimator replay, payout, and re-evaluation of K sampled coalitions from scratch.
 * Exit 0 when every check passes, 1 when one fails, 2 when the service or input is unusable.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { parseVerifierKey } from '../../ledger/index.ts';
import { HttpStatusError, JsonHttp } from '../http.ts';
import {
  auditValuation,
  type AuditReport,
  type PublishedValuation,
} from '../../valuation/audit.ts';

interface AuditOptions {
  service: string;
  id: string;
  key?: string;
  samples: number;
  seed?: string;
  json?: boolean;
}

/** The service could not be used (unreachable, non-2xx, not JSON). */
class ServiceError extends Error {}

/** GET a JSON document; every way the service can fail becomes a ServiceError. */
async function getJson(http: JsonHttp, path: string): Promise<unknown> {
  try {
    return await http.get<unknown>(path);
  } catch (e) {
    if (e instanceof HttpStatusError)
      throw new ServiceError(`GET ${path}: HTTP ${e.status} ${e.body.slice(0, 300)}`);
    if (e instanceof SyntaxError) throw new ServiceError(`GET ${path}: response is not JSON`);
    throw new ServiceError(`cannot reach ${http.baseUrl}: ${(e as Error).message}`);
  }
}

/** Every log entry, page by page. */
async function fetchEntries(http: JsonHttp, id: string, size: number): Promise<unknown[]> {
  const entries: unknown[] = [];
  while (entries.length < size) {
    const page = (await getJson(
      http,
      `/v1/valuations/${id}/evaluations?from=${entries.length}`,
    )) as { entries?: unknown[] };
    if (!Array.isArray(page.entries) || page.entries.length === 0)
      throw new ServiceError(`log ends at ${entries.length} of ${size} entries`);
    entries.push(...page.entries);
  }
  return entries;
}

function printReport(cmd: Command, report: AuditReport, json: boolean | undefined): void {
  const out = cmd.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  if (json) {
    out(`${JSON.stringify(report)}\n`);
    return;
  }
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks)
    out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}\n`);
  out(report.ok ? 'audit passed\n' : 'audit FAILED\n');
}

async function auditAction(opts: AuditOptions, cmd: Command): Promise<void> {
  try {
    if (!/^[0-9a-f]{64}$/.test(opts.id))
      throw new ServiceError('--id must be a 64-hex valuation id');
    if (opts.key) {
      try {
        parseVerifierKey(opts.key);
      } catch (e) {
        throw new ServiceError(`bad --key: ${(e as Error).message}`);
      }
    }
    const http = new JsonHttp(opts.service.replace(/\/+$/, ''));
    const published = (await getJson(http, `/v1/valuations/${opts.id}`)) as PublishedValuation;
    const vkey = opts.key ?? ((await getJson(http, '/v1/log/public-key')) as { vkey: string }).vkey;
    const entries = await fetchEntries(http, opts.id, published.log.size);
    const report = await auditValuation(published, entries, vkey, {
      samples: opts.samples,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    printReport(cmd, report, opts.json);
    process.exitCode = report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ServiceError)
      cmd.error(`error: ${e.message}`, { exitCode: 2, code: 'flagstone.value.audit' });
    throw e;
  }
}

const nonNegativeInteger = (v: string): number => {
  if (!/^(0|[1-9][0-9]{0,6})$/.test(v)) throw new InvalidArgumentError('must be an integer >= 0');
  return Number(v);
};

/** Adds `value audit` to the `value` command group. */
export function registerValueAuditCommand(value: Command): void {
  value
    .command('audit')
    .description(
      'audit a published valuation: signed log, estimator replay, payout, sampled re-evaluations; exit 0 pass, 1 fail, 2 unusable',
    )
    .requiredOption('--service <url>', 'service base URL, e.g. http://127.0.0.1:8080')
    .requiredOption('--id <id>', 'valuation id (64 hex)')
    .option('--key <vkey>', 'pin the log key (default: GET /v1/log/public-key)')
    .option(
      '--samples <k>',
      'logged evaluations to re-evaluate from scratch',
      nonNegativeInteger,
      3,
    )
    .option('--seed <s>', 'seed of the sample choice (default: random)')
    .option('--json', 'print the report as JSON')
    .action(auditAction);
}
