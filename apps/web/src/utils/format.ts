import dayjs from 'dayjs';

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}

export function isLocked(lockedUntil: string | null | undefined): boolean {
  return !!lockedUntil && dayjs(lockedUntil).isAfter(dayjs());
}
