import { expect } from '@open-wc/testing';
import {
  Dictionary,
  Field,
  Int32,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
  tableFromIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { computeFromColumns, computeReport } from '../../src/engine/compute.js';
import { ColumnarEventParser } from '../../src/engine/parse-columns.js';
import { columnsMessage } from '../../src/store/worker/columns-message.js';
import { arrowSink } from '../../src/store/worker/formats/arrow-sink.js';
import { readPageColumns } from '../../src/store/worker/formats/page-columns.js';
import type { EventColumns } from '../../src/engine/types.js';
import { ArrowFramer } from '../../src/store/worker/formats/arrow-framer.js';
import { OPTIONS, asObjects, numbers, type Row } from './columnar-rows.js';

/**
 * A dictionary that grows by a delta in every record batch (as ClickHouse writes
 * LowCardinality columns: about one delta per 50 000 rows): apache-arrow concatenates each
 * delta onto the dictionary, a new vector per batch. Reading it must cost what the entries
 * cost, not entries × batches: each entry's string decoded once (counted: the bytes
 * TextDecoder is given) and each user interned once by the parser (counted: its internUser
 * calls), however many dictionaries share it. No timing: the counts fail when it turns
 * quadratic again (re-reading every chunk, or re-interning the users of each new dictionary).
 */

const BATCHES = 300;
const USERS = 100_000;
const NEW_PER_BATCH = Math.ceil(USERS / BATCHES); // 334
const ROWS_PER_BATCH = 600;

/** User k's name: 8 ASCII bytes (u0000001). */
const userName = (k: number) => `u${String(k).padStart(7, '0')}`;

/**
 * The stream: batch b adds users [b × 334, (b + 1) × 334) to the dictionary as a delta; its
 * rows use each of them once, then users of earlier batches (spread over the dictionary).
 */
function growingStream(): { bytes: Uint8Array; rows: Row[]; entryBytes: number } {
  const end = Date.UTC(2026, 2, 10);
  const userOf = new Dictionary(new Utf8(), new Int32(), 0);
  const typeOf = new Dictionary(new Utf8(), new Int32(), 1);
  const types = vectorFromArray(['open', 'page', 'hide'], new Utf8());
  const schema = new Schema([
    new Field('user', userOf, false),
    new Field('time', new TimestampMillisecond(), false),
    new Field('type', typeOf, false),
  ]);
  const rows: Row[] = [];
  const batches: RecordBatch[] = [];
  let users: Vector<Utf8> | null = null;
  let entryBytes = 0;
  for (let b = 0; b < BATCHES; b++) {
    const from = b * NEW_PER_BATCH;
    const to = Math.min(USERS, from + NEW_PER_BATCH);
    const names = Array.from({ length: to - from }, (_, i) => userName(from + i));
    entryBytes += names.length * 8;
    const delta = vectorFromArray(names, new Utf8());
    users = users === null ? delta : users.concat(delta);
    const userCodes = new Int32Array(ROWS_PER_BATCH);
    const typeCodes = new Int32Array(ROWS_PER_BATCH);
    const times = new BigInt64Array(ROWS_PER_BATCH);
    for (let i = 0; i < ROWS_PER_BATCH; i++) {
      const code = i < to - from ? from + i : (i * 7919 + b * 104_729) % to;
      const time = end - ((i * 31 + b * 977) % (50 * 24)) * 3_600_000;
      userCodes[i] = code;
      typeCodes[i] = (i + b) % 3;
      times[i] = BigInt(time);
      rows.push({
        user: userName(code),
        time,
        type: ['open', 'page', 'hide'][typeCodes[i]],
        app: null,
      });
    }
    const children = [
      makeData({ type: userOf, length: ROWS_PER_BATCH, data: userCodes, dictionary: users }),
      makeData({ type: new TimestampMillisecond(), length: ROWS_PER_BATCH, data: times }),
      makeData({ type: typeOf, length: ROWS_PER_BATCH, data: typeCodes, dictionary: types }),
    ];
    batches.push(
      new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length: ROWS_PER_BATCH, children }),
      ),
    );
  }
  const bytes = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
  return { bytes, rows, entryBytes };
}

/** What `read` costs in decoded bytes and interned users. */
async function counting(read: () => Promise<EventColumns>) {
  const counts = { decodedBytes: 0, internedUsers: 0 };
  const proto = ColumnarEventParser.prototype as unknown as {
    internUser(value: unknown): number;
  };
  const internUser = proto.internUser;
  const decode = TextDecoder.prototype.decode;
  proto.internUser = function (this: unknown, value: unknown) {
    counts.internedUsers++;
    return internUser.call(this, value);
  };
  TextDecoder.prototype.decode = function (this: TextDecoder, input, options) {
    counts.decodedBytes += input?.byteLength ?? 0;
    return decode.call(this, input, options);
  };
  try {
    return { columns: await read(), ...counts };
  } finally {
    proto.internUser = internUser;
    TextDecoder.prototype.decode = decode;
  }
}

/** `bytes` through the worker's sink, in 64 KB chunks. */
async function readStream(bytes: Uint8Array): Promise<EventColumns> {
  const sink = arrowSink({
    url: 'x.arrows',
    size: bytes.length,
    signal: new AbortController().signal,
  });
  for (let at = 0; at < bytes.length; at += 65_536) {
    sink.push(bytes.subarray(at, at + 65_536));
    await Promise.resolve();
  }
  return sink.finish(async () => {});
}

/**
 * `source.columns = table` as the worker gets it: the page's message, structured-cloned as
 * postMessage clones it (an object shared by two dictionaries stays one object).
 */
function readTable(bytes: Uint8Array): Promise<EventColumns> {
  const { batch } = columnsMessage(tableFromIPC(bytes));
  return Promise.resolve(readPageColumns(structuredClone(batch)));
}

describe('Arrow dictionaries grown by a delta in every batch', () => {
  const { bytes, rows, entryBytes } = growingStream();

  it('the stream is what it says: a delta of the user dictionary before each batch after the first', () => {
    const dictionaries = new ArrowFramer()
      .push(bytes)
      .filter((f) => f.message.isDictionaryBatch())
      .map((f) => f.message.header() as { id: number; isDelta: boolean });
    const userDeltas = dictionaries.filter((d) => d.id === 0 && d.isDelta).length;
    expect(userDeltas).to.equal(BATCHES - 1);
    expect(rows.length).to.equal(BATCHES * ROWS_PER_BATCH);
  });

  for (const [how, read] of [
    ['the worker reads the stream', readStream],
    ['source.columns = the Table of it', readTable],
  ] as const) {
    it(`${how}: the numbers of the same events as objects, each entry decoded and each user interned once`, async () => {
      const { columns, decodedBytes, internedUsers } = await counting(() => read(bytes));
      expect(numbers(computeFromColumns(columns, OPTIONS))).to.deep.equal(
        numbers(computeReport(asObjects(rows), OPTIONS)),
      );
      expect(columns.users.length).to.equal(USERS);
      // Each user once (quadratic: the users of every batch again, about 180 000 of them).
      expect(internedUsers).to.equal(USERS);
      // The users' 800 000 bytes and the three types' (quadratic: about 120 MB).
      expect(decodedBytes).to.be.within(entryBytes, entryBytes + 100);
    });
  }
});
