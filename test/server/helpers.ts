/**
 * The real `ua-kit serve` as a child process on a free 127.0.0.1 port (--port 0; the URL it
 * prints says which), and the seeded messy events the tests serve.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseEvents } from '../../src/engine/index.js';
import { generateEvents, DEMO_APPS } from '../../demo/synthetic.js';
import {
  materialize,
  reportDifferences as engineReportDifferences,
  scenarioArb,
  shuffled,
} from '../engine/arbitraries.js';

export const ROOT = process.env.UA_KIT_ROOT ?? process.cwd();
export const BIN = resolve(ROOT, 'bin/ua-kit.mjs');

export interface Served {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `ua-kit serve ARGS --port 0` (with `env` added to the environment) and resolves once
 * it prints its URL (60 s at most).
 */
export function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ua-kit serve did not start within 60 s:\n${out}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ua-kit serve: (http:\/\/[^/\s]+)\//.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolvePromise({
          url: m[1],
          process: child,
          output: () => out,
          stop: async () => {
            child.kill('SIGTERM');
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            const code = await exited;
            clearTimeout(kill);
            return code;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ua-kit serve exited with ${code}:\n${out}`));
    });
  });
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ua-kit-server-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** GET/POST with a 30-s bound; the JSON body (or null) with status and headers. */
export async function request(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Bad rows of every kind SPEC §6 names. */
export const BAD_ROWS: unknown[] = [
  42,
  null,
  ['open'],
  { user: 'u', time: 1, type: 'close' },
  { user: '', time: 1, type: 'open' },
  { time: 1, type: 'open' },
  { user: 'u', time: '2026-10-01', type: 'open' },
  { user: 'u', time: '2026-10-01T10:00:00', type: 'open' },
  { user: 'u', time: Infinity, type: 'open' },
  { user: 'u', time: 1, type: 'page', app: { id: 1 } },
];

/**
 * Seeded messy rows: synthetic traffic in three apps over 80 days up to 2026-11-03 (New York's
 * daily rhythm), app-less rows, the engine tests' messy sessions around clock-change days
 * (unsorted, duplicates, lost opens and hides, stray hides, exact-30-s gaps, ties, ISO strings
 * with offsets, numeric ids), and bad rows; all shuffled.
 */
export function messyRows(seed: number): unknown[] {
  const traffic = generateEvents({
    users: 250,
    days: 80,
    end: '2026-11-03',
    timeZone: 'America/New_York',
    apps: DEMO_APPS.slice(0, 3),
    seed,
    targetEvents: 25_000,
  }) as unknown as Record<string, unknown>[];
  // Some rows lose their app (they then belong to every app), some time becomes an ISO string.
  traffic.forEach((row, i) => {
    if (i % 17 === 0) delete row.app;
    if (i % 13 === 0) row.time = new Date(row.time as number).toISOString();
  });
  const messy: unknown[] = [];
  for (const scenario of fc.sample(scenarioArb, { numRuns: 60, seed })) {
    messy.push(...materialize({ ...scenario, firstSeen: null }).rows);
  }
  return shuffled([...traffic, ...messy, ...BAD_ROWS], seed);
}

/** Rows as NDJSON, with two lines that are not JSON. */
export function writeNdjson(path: string, rows: unknown[]): void {
  const lines = rows.map((r) => JSON.stringify(r));
  lines.splice(5, 0, '{not json');
  lines.splice(50, 0, 'nope');
  writeFileSync(path, lines.join('\n') + '\n');
}

/**
 * The engine tests' report comparison for a Report the server sent: its `dataUpTo` (the
 * server's word on freshness, which computeReport does not make; tested on its own) is left
 * out.
 */
export function reportDifferences(actual: unknown, expected: unknown): string[] {
  if (typeof actual !== 'object' || actual === null)
    return engineReportDifferences(actual, expected);
  const rest: Record<string, unknown> = { ...actual };
  delete rest.dataUpTo;
  return engineReportDifferences(rest, expected);
}

/** 'YYYY-MM-DD' of instant `t` in `timeZone`, by Intl (not the kit's own code). */
export function dayIn(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(t);
}

/** The latest time among the rows the engine accepts. */
export function lastAcceptedTime(rows: unknown[]): number {
  const { time, length } = parseEvents(rows);
  let last = -Infinity;
  for (let i = 0; i < length; i++) if (time[i] > last) last = time[i];
  return last;
}
