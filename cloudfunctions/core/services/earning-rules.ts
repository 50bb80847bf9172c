/**
 * Earning rules as operators edit them (DESIGN "Earning rules"): every
 * change is a new version, kept for ever; publishing makes one version the
 * active one; archiving stops a rule. With JIFEN_RULES_APPROVAL=on, a
 * publish waits for a second operator's approval. Every change is audited.
 *
 * Payments read the active set through `active()`: cached for
 * ACTIVE_TTL_MS, and dropped at once on this process's own changes, so a
 * published rule applies on this server immediately and on every other
 * server (or cloud function instance) within ACTIVE_TTL_MS. Points already
 * given never change: an accrual stores the rule ids and versions it used.
 */
import type { ActiveRule, RuleBody } from '../domain/earning-rules.js';
import { errors, DomainError } from '../domain/errors.js';
import { checkAgainst, checkRule, type RuleProblem } from '../domain/rule-checks.js';
import { localParts } from '../domain/local-time.js';
import type { ConfigDoc, Store, Tx } from '../store/port.js';
import { newId } from './ids.js';
import { CONFIG_TTL_MS, SingletonConfig } from './config-docs.js';

export const ACTIVE_TTL_MS = CONFIG_TTL_MS;

export type RuleStatus = 'draft' | 'active' | 'archived';

/** What config_docs holds for one rule. */
interface RuleState {
  status: RuleStatus;
  /** The newest version's body (a draft when newer than the active one). */
  latest: RuleBody;
  active: RuleBody | null;
  activeVersion: number | null;
  /** A publish waiting for a second operator. */
  pending: { version: number; requestedBy: string; requestedAt: number } | null;
  createdAt: number;
}

export interface RuleView extends RuleBody {
  id: string;
  version: number;
  status: RuleStatus;
  activeVersion: number | null;
  pendingApproval: { version: number; requestedBy: string; requestedAt: number } | null;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
  warnings: RuleProblem[];
}

export type RulePatch = Partial<RuleBody>;

export class EarningRules {
  private cache: { at: number; rules: ActiveRule[]; holidays: Set<string> } | null = null;
  private readonly calendar: SingletonConfig<{ dates: string[] }>;

  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      timeZone: string;
      /** JIFEN_RULES_APPROVAL=on: a publish needs a second operator. */
      approval: boolean;
    },
  ) {
    this.calendar = new SingletonConfig(deps, 'holidays', 'calendar', { dates: [] });
  }

  /** The active rules, as payments evaluate them. */
  async active(): Promise<ActiveRule[]> {
    return (await this.loaded()).rules;
  }

  /** The holiday calendar's dates (YYYY-MM-DD, JIFEN_TIMEZONE). */
  async holidays(): Promise<ReadonlySet<string>> {
    return (await this.loaded()).holidays;
  }

  /** Every rule not archived, at its newest version: what a dry run of drafts evaluates. */
  async newest(): Promise<ActiveRule[]> {
    return (await this.deps.store.configDocs('rule')).flatMap((d) => {
      const s = d.body as unknown as RuleState;
      return s.status === 'archived' ? [] : [{ ...s.latest, id: d.id, version: d.version }];
    });
  }

  /** Replaces the holiday calendar; audited, versioned. */
  async setHolidays(actor: string, dates: string[]): Promise<string[]> {
    const sorted = [...new Set(dates)].sort();
    await this.calendar.save(actor, { dates: sorted });
    this.cache = null;
    return sorted;
  }

  private async loaded(): Promise<NonNullable<EarningRules['cache']>> {
    const now = this.deps.clock();
    if (this.cache && now >= this.cache.at && now - this.cache.at < ACTIVE_TTL_MS) return this.cache;
    const [docs, calendar] = await Promise.all([this.deps.store.configDocs('rule'), this.calendar.get()]);
    const rules = docs.flatMap((d) => {
      const s = d.body as unknown as RuleState;
      return s.status === 'active' && s.active && s.activeVersion !== null
        ? [{ ...s.active, id: d.id, version: s.activeVersion }]
        : [];
    });
    this.cache = { at: now, rules, holidays: new Set(calendar.dates) };
    return this.cache;
  }

  async list(): Promise<RuleView[]> {
    const docs = await this.deps.store.configDocs('rule');
    return docs.map((d) => this.view(d, []));
  }

  async versions(id: string): Promise<{ version: number; body: RuleBody; actor: string; createdAt: number }[]> {
    const versions = await this.deps.store.configVersions('rule', id);
    if (versions.length === 0) throw errors.notFound('Rule');
    return versions.map((v) => ({
      version: v.version,
      body: v.body as unknown as RuleBody,
      actor: v.actor,
      createdAt: v.createdAt,
    }));
  }

  async create(actor: string, body: RuleBody): Promise<RuleView> {
    const warnings = this.refuseInvalid(body);
    const now = this.deps.clock();
    const id = newId('rule', 10);
    const state: RuleState = {
      status: 'draft',
      latest: body,
      active: null,
      activeVersion: null,
      pending: null,
      createdAt: now,
    };
    return this.change(actor, id, 'rule.create', warnings, async () => ({ before: null, state, version: 1 }));
  }

  /** Merges the keys given into a new draft version; the active version goes on until the next publish. */
  async update(actor: string, id: string, patch: RulePatch): Promise<RuleView> {
    return this.change(actor, id, 'rule.update', [], async (doc) => {
      const before = present(doc);
      const s = before.body as unknown as RuleState;
      if (s.status === 'archived') throw errors.conflict('RULE_ARCHIVED', 'An archived rule cannot change.');
      const latest: RuleBody = { ...s.latest, ...patch };
      this.refuseInvalid(latest);
      return { before, state: { ...s, latest, pending: null }, version: before.version + 1 };
    });
  }

  /** The newest version becomes the active one (or waits for approval). */
  async publish(actor: string, id: string): Promise<RuleView> {
    return this.change(actor, id, 'rule.publish', [], async (doc) => {
      const before = present(doc);
      const s = before.body as unknown as RuleState;
      if (s.status === 'archived') throw errors.conflict('RULE_ARCHIVED', 'An archived rule cannot be published.');
      if (s.activeVersion === before.version && s.status === 'active') {
        throw errors.conflict('ALREADY_PUBLISHED', `Version ${before.version} is already the active one.`);
      }
      this.refuseInvalid(s.latest);
      if (this.deps.approval) {
        const pending = { version: before.version, requestedBy: actor, requestedAt: this.deps.clock() };
        return { before, state: { ...s, pending }, version: before.version };
      }
      return { before, state: activate(s, before.version), version: before.version };
    });
  }

  /** A second operator approves the publish waiting on the rule. */
  async approve(actor: string, id: string): Promise<RuleView> {
    return this.change(actor, id, 'rule.approve', [], async (doc) => {
      const before = present(doc);
      const s = before.body as unknown as RuleState;
      if (!s.pending || s.pending.version !== before.version) {
        throw errors.conflict('NOTHING_TO_APPROVE', 'No publish of this version is waiting for approval.');
      }
      if (s.pending.requestedBy === actor) {
        throw new DomainError('APPROVAL_BY_SAME_OPERATOR', 'A second operator must approve a publish.', 403);
      }
      return { before, state: activate(s, before.version), version: before.version };
    });
  }

  async archive(actor: string, id: string): Promise<RuleView> {
    return this.change(actor, id, 'rule.archive', [], async (doc) => {
      const before = present(doc);
      const s = before.body as unknown as RuleState;
      if (s.status === 'archived') throw errors.conflict('RULE_ARCHIVED', 'The rule is already archived.');
      return { before, state: { ...s, status: 'archived', pending: null }, version: before.version };
    });
  }

  /** Refuses a rule with errors; returns its warnings. */
  private refuseInvalid(body: RuleBody): RuleProblem[] {
    const report = checkRule(body, localParts(this.deps.clock(), this.deps.timeZone).date);
    if (report.errors.length > 0) {
      throw new DomainError('RULE_INVALID', report.errors.map((e) => `${e.path}: ${e.message}`).join(' '), 400, {
        errors: report.errors,
        warnings: report.warnings,
      });
    }
    return report.warnings;
  }

  /** Conflicts with the other active rules: warnings, shown with the rule after every change. */
  private async conflicts(id: string, body: RuleBody): Promise<RuleProblem[]> {
    const others = (await this.active()).filter((r) => r.id !== id);
    return checkAgainst(body, others);
  }

  /** One change: locked read, new state, a version row when the body changed, the audit row. */
  private async change(
    actor: string,
    id: string,
    action: string,
    warnings: RuleProblem[],
    next: (doc: ConfigDoc | null, tx: Tx) => Promise<{ before: ConfigDoc | null; state: RuleState; version: number }>,
  ): Promise<RuleView> {
    const now = this.deps.clock();
    const doc = await this.deps.store.transaction(async (tx) => {
      const found = await tx.lockConfig('rule', id);
      if (!found && action !== 'rule.create') throw errors.notFound('Rule');
      const { before, state, version } = await next(found, tx);
      const after: ConfigDoc = {
        kind: 'rule',
        id,
        version,
        body: state as unknown as Record<string, unknown>,
        updatedBy: actor,
        updatedAt: now,
      };
      await tx.putConfig(after);
      if (version !== before?.version) {
        await tx.insertConfigVersion({
          kind: 'rule',
          id,
          version,
          body: state.latest as unknown as Record<string, unknown>,
          actor,
          createdAt: now,
        });
      }
      await tx.insertAudit({
        actor,
        action,
        subject: id,
        detail: { before: before?.body ?? null, after: state },
        createdAt: now,
      });
      return after;
    });
    this.cache = null; // this server applies its own change at once
    const s = doc.body as unknown as RuleState;
    return this.view(doc, [...warnings, ...(await this.conflicts(id, s.latest))]);
  }

  private view(d: ConfigDoc, warnings: RuleProblem[]): RuleView {
    const s = d.body as unknown as RuleState;
    return {
      ...s.latest,
      id: d.id,
      version: d.version,
      status: s.status,
      activeVersion: s.activeVersion,
      pendingApproval: s.pending,
      createdAt: s.createdAt,
      updatedAt: d.updatedAt,
      updatedBy: d.updatedBy,
      warnings,
    };
  }
}

function activate(s: RuleState, version: number): RuleState {
  return { ...s, status: 'active', active: s.latest, activeVersion: version, pending: null };
}

function present(doc: ConfigDoc | null): ConfigDoc {
  if (!doc) throw errors.notFound('Rule');
  return doc;
}
