/**
 * Ingest benchmark (npm run bench:ingest): the real service in its own process, 8 concurrent
 * trainers each appending pre-signed EIP-712 entries to its own job over loopback HTTP (the server
 * verifies every signature and fsyncs every commit), then blob streaming against the raw cost of
 * sha256 + write + fsync of the same bytes in this process. Writes bench/results/ingest.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { EntryChain, openJobRequest, wallet } from '../test/helpers/actors.ts';
import { spawnServer } from '../test/helpers/server-process.ts';
import { median, quantile, round } from './stats.ts';

const TRAINERS = 8;
const WARMUP = 200; // per trainer
const MEASURED = 1500; // per trainer
const BLOB_MB = 32;
const BLOB_REPEATS = 5;

const dataDir = mkdtempSync(path.join(tmpdir(), 'flagstone-bench-'));
// BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server process.
const server = await spawnServer(
  dataDir,
  {},
  process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
);
const agent = new Agent({ connections: TRAINERS * 2, pipelining: 1, keepAliveTimeout: 30_000 });

/** User + system CPU of a process (all its threads), from /proc, in ms. */
function serverCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: string | Buffer,
  type = 'application/json',
) {
  const res = await request(`${server.url}${url}`, {
    method,
    body,
    headers: body ? { 'content-type': type } : {},
    dispatcher: agent,
  });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

try {
  const client = wallet(0x61);
  const trainer = wallet(0x62);
  const chains: EntryChain[] = [];
  for (let j = 0; j < TRAINERS; j++) {
    const req = await openJobRequest(
      client,
      trainer,
      { bench: j },
      j.toString(16).padStart(64, '0'),
    );
    const job = JSON.parse((await call('POST', '/v1/jobs', JSON.stringify(req))).text);
    chains.push(new EntryChain(job.jobId, job.specHash, trainer));
  }
  process.stderr.write(`signing ${TRAINERS * (WARMUP + MEASURED)} entries…\n`);
  const bodies = chains.map((c) =>
    Array.from({ length: WARMUP + MEASURED }, () => JSON.stringify(c.next())),
  );

  const latencies: number[] = [];
  const runPhase = async (from: number, to: number, record: boolean) =>
    Promise.all(
      bodies.map(async (list, j) => {
        for (let i = from; i < to; i++) {
          const t0 = performance.now();
          const res = await call('POST', `/v1/jobs/${chains[j]!.jobId}/entries`, list[i]!);
          if (res.status !== 201) throw new Error(`append failed: ${res.status} ${res.text}`);
          if (record) latencies.push(performance.now() - t0);
        }
      }),
    );
  await runPhase(0, WARMUP, false);
  const cpu0 = { client: process.cpuUsage(), server: serverCpuMs(server.child.pid!) };
  const t0 = performance.now();
  await runPhase(WARMUP, WARMUP + MEASURED, true);
  const seconds = (performance.now() - t0) / 1000;
  const clientCpu = process.cpuUsage(cpu0.client);
  const serverCpuMsPerEntry =
    (serverCpuMs(server.child.pid!) - cpu0.server) / (TRAINERS * MEASURED);
  const clientCpuMsPerEntry = (clientCpu.user + clientCpu.system) / 1000 / (TRAINERS * MEASURED);
  latencies.sort((a, b) => a - b);
  const entriesPerSec = (TRAINERS * MEASURED) / seconds;

  // Blobs: the same random bytes, streamed through HTTP vs hashed+written+fsynced locally.
  const blobRates: number[] = [];
  const rawRates: number[] = [];
  const rawDir = path.join(dataDir, 'raw');
  mkdirSync(rawDir, { recursive: true });
  for (let r = 0; r < BLOB_REPEATS; r++) {
    const bytes = Buffer.alloc(BLOB_MB * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761 + r) >>> 0, i);
    const sha = createHash('sha256').update(bytes).digest('hex');
    let t = performance.now();
    const res = await call('PUT', `/v1/blobs/${sha}`, bytes, 'application/octet-stream');
    if (res.status !== 201) throw new Error(`blob put failed: ${res.status} ${res.text}`);
    blobRates.push(BLOB_MB / ((performance.now() - t) / 1000));
    t = performance.now();
    const h = createHash('sha256');
    const f = await open(path.join(rawDir, `${r}.bin`), 'w');
    for (let off = 0; off < bytes.length; off += 64 * 1024) {
      const chunk = bytes.subarray(off, off + 64 * 1024);
      h.update(chunk);
      await f.write(chunk);
    }
    h.digest();
    await f.sync();
    await f.close();
    rawRates.push(BLOB_MB / ((performance.now() - t) / 1000));
  }
  const blobMBps = median(blobRates);
  const rawMBps = median(rawRates);

  const result = {
    entriesPerSec: round(entriesPerSec, 0),
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    trainers: TRAINERS,
    entriesMeasured: TRAINERS * MEASURED,
    signaturesChecked: true,
    serverCpuMsPerEntry: round(serverCpuMsPerEntry, 3),
    clientCpuMsPerEntry: round(clientCpuMsPerEntry, 3),
    durableCommits: 'sqlite WAL synchronous=FULL',
    blobMBps: round(blobMBps, 1),
    rawMBps: round(rawMBps, 1),
    blobToRawRatio: round(blobMBps / rawMBps, 3),
    blobSizeMB: BLOB_MB,
    blobRepeats: BLOB_REPEATS,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ingest.json', JSON.stringify(result, null, 2) + '\n');
  console.table(result);
} finally {
  await agent.close();
  await server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
