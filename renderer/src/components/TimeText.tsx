import { formatDateTime, formatRelative, toIso } from '../format/time.js';

/** A moment as a <time>: the date and time, and optionally how far away it is. */
export function TimeText({ at, now }: { at: number; now?: number }) {
  return (
    <>
      <time dateTime={toIso(at)}>{formatDateTime(at)}</time>
      {now !== undefined && <span className="muted"> ({formatRelative(at, now)})</span>}
    </>
  );
}
