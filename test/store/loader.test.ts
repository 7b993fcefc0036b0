import { expect } from '@open-wc/testing';
import { EventParser } from '../../src/engine/parse.js';
import { packColumns, unpackColumns } from '../../src/store/worker/columns-transfer.js';
import { formatOf, parseArray } from '../../src/store/events-loader.js';
import { StatusFailure, reasonOf, withStatusSentence } from '../../src/store/errors.js';
import { ProgressThrottle, Slicer } from '../../src/store/slicing.js';
import type { Progress } from '../../src/store/types.js';
import { guardAgainstStrayErrors } from './guard.js';
import { generateEvents } from './helpers.js';

describe('events loading helpers', () => {
  guardAgainstStrayErrors();

  it('formatOf: NDJSON by media type or extension, else unknown (sniff)', () => {
    expect(formatOf('/e', 'application/x-ndjson; charset=utf-8')).to.equal('ndjson');
    expect(formatOf('/e', 'application/jsonl')).to.equal('ndjson');
    expect(formatOf('/e.jsonl?v=2', 'text/plain')).to.equal('ndjson');
    expect(formatOf('https://cdn.test/a/events.NDJSON', null)).to.equal('ndjson');
    expect(formatOf('/events.json', 'application/json')).to.equal(null);
    expect(formatOf('/events', null)).to.equal(null);
  });

  it('formatOf: each media type of NDJSON, Arrow and Parquet, and no near miss', () => {
    const types: Array<[string, string | null]> = [
      ['application/ndjson', 'ndjson'],
      ['application/x-ndjson', 'ndjson'],
      ['application/jsonl', 'ndjson'],
      ['application/x-jsonl', 'ndjson'],
      ['application/jsonlines', 'ndjson'],
      ['application/x-jsonlines', 'ndjson'],
      ['application/vnd.apache.arrow.file', 'arrow'],
      ['application/vnd.apache.arrow.stream', 'arrow'],
      ['application/x-apache-arrow', 'arrow'],
      ['Application/Vnd.Apache.Parquet; x=1', 'parquet'],
      ['application/x-parquet', 'parquet'],
      ['application/vnd.apache.arrow', null],
      ['application/x-ndjsonl', null],
      ['application/parquet', null],
      ['text/application/x-parquet', null],
      ['application/vnd.apache-parquet', null],
    ];
    for (const [type, format] of types) expect(formatOf('/e', type), type).to.equal(format);
  });

  it("a worker's StatusFailure gets its sentence on the page, the reason phrase from the status when the answer had none", () => {
    const sentence = (status: number, text: string) =>
      reasonOf(withStatusSentence(new StatusFailure(status, text)));
    expect(sentence(503, '')).to.equal('The server answered 503 Service Unavailable');
    expect(sentence(404, 'Gone Fishing')).to.equal('The server answered 404 Gone Fishing');
    expect(sentence(204, '')).to.equal('The answer is empty (204 No Content)');
  });

  it('parseArray cuts the work into slices that yield, and gives the same columns', async () => {
    const rows = generateEvents(60_000, 500, 11);
    let yields = 0;
    const progress: Progress[] = [];
    const cols = await parseArray(rows, {
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
      yieldFn: async () => {
        yields++;
      },
      budgetMs: 0, // every check of the budget finds it used up
    });
    const whole = new EventParser(rows.length);
    whole.addRange(rows);
    const expected = whole.finish();
    expect(cols.length).to.equal(expected.length);
    expect(cols.users).to.deep.equal(expected.users);
    expect(cols.diagnostics).to.deep.equal(expected.diagnostics);
    expect([...cols.time.subarray(0, cols.length)]).to.deep.equal([
      ...expected.time.subarray(0, expected.length),
    ]);
    expect(progress[0]).to.deep.equal({ phase: 'parse', done: 0, total: 60_000 });
    expect(progress.at(-1)).to.deep.equal({ phase: 'parse', done: 60_000, total: 60_000 });
    // The budget is checked after every 1 024 rows, except after the last: ⌈60 000 / 1 024⌉ − 1.
    expect(yields).to.equal(58);
  });

  it('parseArray stops with an AbortError when aborted between slices', async () => {
    const rows = generateEvents(200_000, 500, 12);
    const controller = new AbortController();
    let error: unknown = null;
    try {
      await parseArray(rows, {
        signal: controller.signal,
        onProgress: () => {},
        yieldFn: async () => controller.abort(),
      });
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).to.equal('AbortError');
  });

  it('packs and unpacks columns: user ids intact, including BOMs, astral and lone surrogates', async () => {
    const ids = ['\uFEFFlead', 'plain', '😀 emoji', 'ü', '\uD800', 'x'.repeat(300)];
    const rows: unknown[] = [];
    for (let i = 0; i < 40_000; i++) {
      rows.push({
        user: i < ids.length ? ids[i] : `u${i}`,
        time: i,
        type: 'page',
        app: i % 2 ? 'a' : undefined,
      });
    }
    const parser = new EventParser(rows.length);
    parser.addRange(rows);
    const cols = parser.finish();
    const expectedUsers = [...cols.users];
    const slicer = new Slicer(null, new AbortController().signal);
    const { packed, transfer } = await packColumns(cols, slicer);
    // Through a real structured clone with transfer:
    const channel = new MessageChannel();
    const received = new Promise<typeof packed>((resolve) => {
      channel.port2.onmessage = (e) => resolve(e.data as typeof packed);
    });
    channel.port1.postMessage(packed, transfer);
    const back = unpackColumns(await received);
    channel.port1.close();
    channel.port2.close();
    expect(cols.time.byteLength).to.equal(0); // transferred, not copied
    // A lone surrogate cannot survive UTF-8; it becomes U+FFFD, of the same length.
    expect(back.users).to.deep.equal(expectedUsers.map((u) => (u === '\uD800' ? '\uFFFD' : u)));
    expect(back.length).to.equal(40_000);
    expect(back.apps).to.deep.equal(['a']);
    expect(back.app[1]).to.equal(1);
    expect(back.app[2]).to.equal(0);
    expect(back.time[39_999]).to.equal(39_999);
  });

  it('ProgressThrottle passes the first, the forced and at most one per interval', () => {
    const seen: Progress[] = [];
    const throttle = new ProgressThrottle((p) => seen.push(p), 10_000);
    throttle.emit('load', 0, 10);
    throttle.emit('load', 5, 10);
    throttle.emit('parse', 1, null);
    throttle.emit('load', 10, 10, true);
    expect(seen).to.deep.equal([
      { phase: 'load', done: 0, total: 10 },
      { phase: 'parse', done: 1, total: null },
      { phase: 'load', done: 10, total: 10 },
    ]);
  });
});
