/**
 * The one Vietnam clock. Vietnam has one time zone, UTC+7, without daylight saving, so local
 * time is a fixed shift: every "what day / year / hour is it in Vietnam" goes through here.
 * A "wall clock" Date holds Vietnam's local fields in its UTC fields (read with getUTC*()).
 */
const VN_OFFSET_MS = 7 * 3_600_000;

/** The instant as a wall-clock Date whose UTC fields are Vietnam's local date and time. */
export function vietnamWallClock(instant: Date | string | number): Date {
  const t = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  return new Date(t + VN_OFFSET_MS);
}

/** Back from a wall-clock Date (UTC fields = Vietnam's local fields) to the real instant. */
export function fromVietnamWallClock(wall: Date): Date {
  return new Date(wall.getTime() - VN_OFFSET_MS);
}

/** Calendar year in Vietnam at the instant. */
export function vietnamYear(instant: Date | string | number): number {
  return vietnamWallClock(instant).getUTCFullYear();
}

/** The last millisecond of a calendar day in Vietnam, as epoch milliseconds. */
export function vietnamEndOfDayMs(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day, 23, 59, 59, 999) - VN_OFFSET_MS;
}

/** "hh:mm ngày dd/mm/yyyy" in Vietnam time, for emails and pages. */
export function vnDateTime(instant: Date | string): string {
  const d = vietnamWallClock(instant);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ngày ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
