/** The forms of the household page: at most one is open at a time, kept as one piece of state. */
import { useState } from 'react';
import type { Member } from './fields';

export type Dialog =
  | { kind: 'household' }
  | { kind: 'member'; member: Member | null }
  | { kind: 'move'; member: Member }
  | { kind: 'income'; year: number | null }
  | { kind: 'status'; year: number | null };

/** The open form: `open(d)`, `close()`, and per form what it is opened for (null when closed). */
export function useDialogs() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  return {
    open: (d: Dialog) => setDialog(d),
    close: () => setDialog(null),
    household: dialog?.kind === 'household',
    /** The member form: { member: null } a new member, { member } that member. */
    member: dialog?.kind === 'member' ? { member: dialog.member } : null,
    moving: dialog?.kind === 'move' ? dialog.member : null,
    /** The income / status form: { year: null } a new year, { year } that year. */
    income: dialog?.kind === 'income' ? { year: dialog.year } : null,
    status: dialog?.kind === 'status' ? { year: dialog.year } : null,
  };
}
