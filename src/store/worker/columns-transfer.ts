import type { Diagnostics, EventColumns } from '../../engine/types.js';
import type { Slicer } from '../slicing.js';
import type { DataSpan } from '../types.js';

/** The first and last event time of loaded columns, or null when there are none. */
export function timeSpan(cols: EventColumns): DataSpan | null {
  if (cols.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  const time = cols.time;
  for (let i = 0; i < cols.length; i++) {
    const t = time[i];
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

/** Users packed per chunk of text; each chunk is joined and encoded in well under 10 ms. */
const USERS_PER_CHUNK = 16_384;

/**
 * EventColumns in a form that crosses to a worker without a long copy on the main thread:
 * the typed arrays are transferred, and the user ids travel as UTF-8 chunks (transferred
 * too) with each id's length, because structured-cloning a million short strings takes
 * longer than 50 ms.
 */
export interface PackedColumns {
  length: number;
  user: Int32Array;
  time: Float64Array;
  kind: Uint8Array;
  app: Int32Array;
  /** Each chunk: the UTF-8 of a run of user ids written one after another. */
  userText: Uint8Array[];
  /** Length of each user id in UTF-16 code units, in order. */
  userLengths: Int32Array;
  /** Number of ids per chunk (the last chunk may hold fewer). */
  usersPerChunk: number;
  apps: string[];
  diagnostics: Diagnostics;
}

/**
 * Packs columns for `postMessage(packed, { transfer })`, pausing between chunks when the
 * slicer says so. After the transfer the columns' arrays are detached: do not use them.
 */
export async function packColumns(
  cols: EventColumns,
  slicer: Slicer,
): Promise<{ packed: PackedColumns; transfer: Transferable[] }> {
  const encoder = new TextEncoder();
  const { users } = cols;
  const userLengths = new Int32Array(users.length);
  const userText: Uint8Array[] = [];
  for (let from = 0; from < users.length; from += USERS_PER_CHUNK) {
    const to = Math.min(users.length, from + USERS_PER_CHUNK);
    for (let i = from; i < to; i++) userLengths[i] = users[i].length;
    userText.push(encoder.encode(users.slice(from, to).join('')));
    if (slicer.due) await slicer.pause();
  }
  const packed: PackedColumns = {
    length: cols.length,
    user: cols.user,
    time: cols.time,
    kind: cols.kind,
    app: cols.app,
    userText,
    userLengths,
    usersPerChunk: USERS_PER_CHUNK,
    apps: cols.apps,
    diagnostics: cols.diagnostics,
  };
  const transfer: Transferable[] = [
    cols.user.buffer,
    cols.time.buffer,
    cols.kind.buffer,
    cols.app.buffer,
    userLengths.buffer,
    ...userText.map((t) => t.buffer),
  ];
  return { packed, transfer: [...new Set(transfer)] };
}

/** The columns again, on the receiving side. */
export function unpackColumns(p: PackedColumns): EventColumns {
  // ignoreBOM: an id may start with U+FEFF, which must not be stripped.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const n = p.userLengths.length;
  const users: string[] = new Array<string>(n);
  p.userText.forEach((chunk, c) => {
    const text = decoder.decode(chunk);
    const to = Math.min(n, (c + 1) * p.usersPerChunk);
    let at = 0;
    for (let i = c * p.usersPerChunk; i < to; i++) {
      const len = p.userLengths[i];
      users[i] = text.slice(at, at + len);
      at += len;
    }
  });
  return {
    length: p.length,
    user: p.user,
    time: p.time,
    kind: p.kind,
    app: p.app,
    users,
    apps: p.apps,
    diagnostics: p.diagnostics,
  };
}
