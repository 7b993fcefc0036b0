import { dateFormat } from '../i18n/format.js';
import type { Lang } from '../i18n/strings.js';
import { localParts } from '../engine/periods.js';
import type { Granularity } from '../engine/types.js';

/** The wall-clock date and time of instant `t` in `timeZone` (the engine's own reading). */
const wallClock = localParts;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The local date of instant `t` in `timeZone` as ISO 8601: `2026-11-27`. */
export function localISODate(t: number, timeZone: string): string {
  const w = wallClock(t, timeZone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
}

/**
 * The local date-time of instant `t` in `timeZone` as ISO 8601 with its UTC offset, to the
 * second: `2026-11-27T09:00:00+08:00` (`+00:00` for UTC). Offsets are rounded to minutes.
 */
export function localISODateTime(t: number, timeZone: string): string {
  const w = wallClock(t, timeZone);
  const whole = Math.floor(t / 1000) * 1000;
  const offsetMinutes = Math.round((Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - whole) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** A bucket start as ISO 8601: the local date for days, the local date-time for hours. */
export function localISO(t: number, granularity: Granularity, timeZone: string): string {
  return granularity === 'day' ? localISODate(t, timeZone) : localISODateTime(t, timeZone);
}

/** The short name of the UTC offset in force at `t` in `timeZone`, e.g. `GMT-7`, for `lang`. */
export function offsetName(t: number, timeZone: string, lang: Lang): string {
  const f = dateFormat(lang, { timeZone, timeZoneName: 'shortOffset' });
  return f.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
}
