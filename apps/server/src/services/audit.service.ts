import crypto from 'node:crypto';
import { regionPrefix, type AuditEntry, type ProcedureEvent } from '@tuopin/domain';
import type { AuditRow } from '../repositories/audit.repository';
import { maskPrivateValues, PRIVATE_FIELDS, privacyFor } from './privacy';
import type { Actor } from '../db/database';
import type { Deps } from './context';
import type { RegionsService } from './regions.service';

/** The verification of one chain: a county's (its code), the national/system chain '000000', or 'legacy'. */
export interface ChainResult {
  chain: string;
  ok: boolean;
  rows: number;
  firstBroken: { id: string; problem: string } | null;
}

/** All chains verified: `ok` when every one is; `firstBroken` the broken row with the lowest id over all chains. */
export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBroken: { id: string; problem: string } | null;
  chains: ChainResult[];
}

export class AuditService {
  constructor(private readonly d: Deps, private readonly regions: RegionsService) {}

  /**
   * A page of the log in the reader's region with the names resolved (AuditRepository.list). ID numbers and phones in
   * the recorded values are masked as on the household page (privacyFor, maskPrivateValues); a role that may reveal
   * them sees them in full on request, and that reveal is itself logged, naming the entries it showed. Users' own
   * entries keep their phones, as the user list shows them.
   */
  list(
    actor: Actor,
    q: { entity?: string; entityId?: string; regionCode?: string; before?: string; limit?: number; reveal?: boolean },
  ): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
    const privacy = privacyFor(actor.role, q.reveal ?? false);
    return this.d.db.scoped(actor, async (tx) => {
      const region = q.regionCode ? await this.regions.visible(tx, q.regionCode) : null;
      const prefix = region ? regionPrefix(region.code) : undefined;
      const page = await this.d.repos.audit.list(tx, { entity: q.entity, entityId: q.entityId, regionPrefix: prefix, before: q.before }, q.limit ?? 50);
      const masked = privacyFor(actor.role, false);
      const revealed: string[] = [];
      const items = page.items.map((r) => {
        const p = r.entity === 'users' ? { ...privacy, full: true } : privacy;
        const before = maskPrivateValues(r.before, p);
        const after = maskPrivateValues(r.after, p);
        if (privacy.full && r.entity !== 'users') {
          const hidden = JSON.stringify([maskPrivateValues(r.before, masked), maskPrivateValues(r.after, masked)]);
          if (hidden !== JSON.stringify([r.before, r.after])) revealed.push(r.id);
        }
        return entryOf(r, before, after);
      });
      if (revealed.length > 0) {
        await this.d.repos.audit.append(tx, {
          action: 'reveal', entity: 'audit_log', entityId: null, regionCode: region?.code ?? actor.regionCode,
          after: { fields: [...PRIVATE_FIELDS], entries: revealed },
        });
      }
      return { items, nextBefore: page.nextBefore };
    });
  }

  /**
   * Recomputes every hash and link of every chain (or of one: `chain`, a county code or '000000'); names the first
   * row of each chain that does not match. A chain's first row links to the last legacy row (audit_genesis).
   */
  verifyChain(opts: { chain?: string } = {}): Promise<ChainReport> {
    return this.d.db.system({ name: 'audit:verify' }, async (tx) => {
      const genesis = await this.d.repos.audit.genesis(tx);
      const chains: ChainResult[] = [];
      let cur: ChainResult | null = null;
      let prev = '';
      for await (const r of this.d.repos.audit.chain(tx, { chain: opts.chain })) {
        if (!cur || cur.chain !== r.chain) {
          cur = { chain: r.chain, ok: true, rows: 0, firstBroken: null };
          chains.push(cur);
          prev = r.chain === 'legacy' ? '0'.repeat(64) : genesis;
        }
        cur.rows++;
        if (!cur.ok) continue;
        if (r.prev_hash !== prev) {
          cur.ok = false;
          cur.firstBroken = { id: r.id, problem: '与前一条记录的哈希链接不一致（之前的记录被删除、插入或修改）' };
          continue;
        }
        const h = crypto.createHash('sha256').update(r.canonical, 'utf8').digest('hex');
        if (h !== r.hash) {
          cur.ok = false;
          cur.firstBroken = { id: r.id, problem: '记录内容与其哈希不符（记录被篡改）' };
          continue;
        }
        prev = r.hash;
      }
      const broken = chains.filter((c) => !c.ok).map((c) => c.firstBroken!);
      broken.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      return { ok: broken.length === 0, rows: chains.reduce((n, c) => n + c.rows, 0), firstBroken: broken[0] ?? null, chains };
    });
  }
}

function changesOf(before: unknown, after: unknown): AuditEntry['changes'] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * The step a procedure entry signed, sent back or rejected: the event its state gained (the row trigger records the
 * whole state before and after), with the comment, or else the reason, findings or minutes given with it.
 */
export function signatureOf(entity: string, before: unknown, after: unknown): AuditEntry['signature'] {
  if (entity !== 'procedures') return null;
  const events = (v: unknown) => {
    const state = (v as { state?: { events?: unknown } } | null)?.state;
    return Array.isArray(state?.events) ? (state.events as ProcedureEvent[]) : [];
  };
  const now = events(after);
  if (now.length === 0 || now.length <= events(before).length) return null;
  const e = now[now.length - 1]!;
  const data = (e.data ?? {}) as Record<string, unknown>;
  return {
    action: e.action, step: e.step, toStep: e.toStep ?? null, on: e.on, signerName: e.signerName,
    result: text(data.result),
    comment: text(e.comment) ?? text(data.reason) ?? text(data.findings) ?? text(data.minutes),
  };
}

function entryOf(r: AuditRow, before: unknown, after: unknown): AuditEntry {
  const recorded = (k: string) => {
    const v = (after as Record<string, unknown> | null)?.[k] ?? (before as Record<string, unknown> | null)?.[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
  };
  const householdNo = r.household_no ?? (r.entity === 'households' ? recorded('household_no') : null);
  const household = r.household_id !== null && r.household_county !== null
    ? { countyCode: r.household_county, id: r.household_id, householdNo: householdNo ?? '', headName: r.head_name, villageName: r.village_name }
    : null;
  const subject = household || r.subject_kind || r.subject_name || r.subject_year !== null || r.subject_period
    ? { household, kind: r.subject_kind, name: r.subject_name, username: r.subject_username, year: r.subject_year, period: r.subject_period }
    : null;
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorDisplayName: r.actor_display_name,
    ip: r.ip,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    regionCode: r.region_code,
    changes: changesOf(before, after),
    reason: r.reason,
    subject,
    signature: signatureOf(r.entity, before, after),
  };
}
