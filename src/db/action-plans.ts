import type { ActionPlan, ActionPlanRow, ActionPlanVersion } from '../generated/sqlite/client.ts';
import type { Database } from './database.js';

export type { ActionPlan, ActionPlanRow, ActionPlanVersion };

/**
 * A pair's action plan (handbook Annex 6): rows of six fields with a status, and
 * saved versions. A row someone is still writing is kept as a draft row of the plan,
 * so that a restart in the middle of the dialogue loses nothing: `status` is "draft",
 * `updatedById` is the person writing, and the fields still to be answered are empty.
 * A draft with position 0 becomes a new row; a draft with position -<row id> holds a
 * change to that row (the field being changed is the empty one). Drafts are never
 * shown, counted, exported or saved in a version.
 */

/** The six Annex 6 fields of a row, in the order they are asked. */
export const PLAN_FIELDS = ['action', 'results', 'timeline', 'lead', 'resources', 'measure'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

export const ROW_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export function isRowStatus(value: unknown): value is RowStatus {
  return typeof value === 'string' && (ROW_STATUSES as readonly string[]).includes(value);
}

const DRAFT = 'draft';
/** What a field the person chose to skip holds, so that it is not asked again. */
export const SKIPPED = '—';
/** The longest text a field takes. */
export const FIELD_MAX_LENGTH = 1000;

export function findPlanOfPair(db: Database, pairId: number): Promise<ActionPlan | null> {
  return db.actionPlan.findUnique({ where: { pairId } });
}

/** The pair's plan, created empty the first time someone opens it. */
export function planOfPair(db: Database, pairId: number): Promise<ActionPlan> {
  return db.actionPlan.upsert({ where: { pairId }, create: { pairId }, update: {} });
}

/** The plan's rows in their order (drafts left out). */
export function listRows(db: Database, planId: number): Promise<ActionPlanRow[]> {
  return db.actionPlanRow.findMany({ where: { planId, status: { not: DRAFT } }, orderBy: [{ position: 'asc' }, { id: 'asc' }] });
}

/** A row with its plan; null for drafts and unknown ids. */
export async function findRow(db: Database, rowId: number): Promise<(ActionPlanRow & { plan: ActionPlan }) | null> {
  const row = await db.actionPlanRow.findUnique({ where: { id: rowId }, include: { plan: true } });
  return row && row.status !== DRAFT ? row : null;
}

export async function setRowStatus(db: Database, rowId: number, status: RowStatus, personId: number): Promise<boolean> {
  const { count } = await db.actionPlanRow.updateMany({ where: { id: rowId, status: { not: DRAFT } }, data: { status, updatedById: personId } });
  return count === 1;
}

export async function deleteRow(db: Database, rowId: number): Promise<boolean> {
  const { count } = await db.actionPlanRow.deleteMany({ where: { id: rowId, status: { not: DRAFT } } });
  // Changes to it that someone was still writing have nothing left to change.
  await db.actionPlanRow.deleteMany({ where: { status: DRAFT, position: -rowId } });
  return count === 1;
}

// ---- drafts: the row someone is writing ----

export type Draft = ActionPlanRow & { plan: ActionPlan };

/** The row the person is writing, if any (at most one at a time). */
export function findDraftOf(db: Database, personId: number): Promise<Draft | null> {
  return db.actionPlanRow.findFirst({ where: { status: DRAFT, updatedById: personId }, include: { plan: true }, orderBy: { id: 'desc' } });
}

/** The row a draft changes; undefined for a draft of a new row. */
export function editedRowId(draft: Pick<ActionPlanRow, 'position'>): number | undefined {
  return draft.position < 0 ? -draft.position : undefined;
}

/** The field the draft asks for next; undefined once every field is answered. */
export function nextDraftField(draft: Pick<ActionPlanRow, PlanField>): PlanField | undefined {
  return PLAN_FIELDS.find((field) => draft[field] === '');
}

/** Starts writing a new row; anything else the person was writing is dropped. */
export async function startNewRowDraft(db: Database, planId: number, personId: number): Promise<Draft> {
  return db.$transaction(async (tx) => {
    await tx.actionPlanRow.deleteMany({ where: { status: DRAFT, updatedById: personId } });
    return tx.actionPlanRow.create({
      data: { planId, position: 0, action: '', results: '', timeline: '', lead: '', resources: '', measure: '', status: DRAFT, updatedById: personId },
      include: { plan: true },
    });
  });
}

/** Starts changing one field of a row; anything else the person was writing is dropped. */
export async function startEditDraft(db: Database, row: ActionPlanRow, field: PlanField, personId: number): Promise<Draft> {
  const copy = (f: PlanField) => (f === field ? '' : row[f] === '' ? SKIPPED : row[f]);
  return db.$transaction(async (tx) => {
    await tx.actionPlanRow.deleteMany({ where: { status: DRAFT, updatedById: personId } });
    return tx.actionPlanRow.create({
      data: {
        planId: row.planId,
        position: -row.id,
        action: copy('action'),
        results: copy('results'),
        timeline: copy('timeline'),
        lead: copy('lead'),
        resources: copy('resources'),
        measure: copy('measure'),
        status: DRAFT,
        updatedById: personId,
      },
      include: { plan: true },
    });
  });
}

/** Stores one answer; false when the field was answered meanwhile (e.g. a second press of an old button). */
export async function fillDraft(db: Database, draftId: number, field: PlanField, value: string): Promise<boolean> {
  const { count } = await db.actionPlanRow.updateMany({ where: { id: draftId, status: DRAFT, [field]: '' }, data: { [field]: value } });
  return count === 1;
}

export async function dropDraftsOf(db: Database, personId: number): Promise<number> {
  const { count } = await db.actionPlanRow.deleteMany({ where: { status: DRAFT, updatedById: personId } });
  return count;
}

export type FinishedDraft =
  | { kind: 'added'; row: ActionPlanRow; number: number }
  | { kind: 'changed'; row: ActionPlanRow; field: PlanField }
  | { kind: 'gone' };

/**
 * A complete draft becomes a row at the end of the plan, or its answer replaces the
 * field of the row it changes. 'gone' when the draft or that row no longer exists.
 */
export async function finishDraft(db: Database, draftId: number, field: PlanField | undefined): Promise<FinishedDraft> {
  return db.$transaction(async (tx): Promise<FinishedDraft> => {
    const draft = await tx.actionPlanRow.findUnique({ where: { id: draftId } });
    if (!draft || draft.status !== DRAFT) return { kind: 'gone' };
    await tx.actionPlanRow.delete({ where: { id: draft.id } });
    const target = editedRowId(draft);
    if (target !== undefined) {
      if (!field) return { kind: 'gone' };
      const row = await tx.actionPlanRow.findUnique({ where: { id: target } });
      if (!row || row.status === DRAFT) return { kind: 'gone' };
      const updated = await tx.actionPlanRow.update({ where: { id: row.id }, data: { [field]: draft[field], updatedById: draft.updatedById } });
      return { kind: 'changed', row: updated, field };
    }
    const last = await tx.actionPlanRow.aggregate({ where: { planId: draft.planId, status: { not: DRAFT } }, _max: { position: true }, _count: { _all: true } });
    const row = await tx.actionPlanRow.create({
      data: {
        planId: draft.planId,
        position: (last._max.position ?? 0) + 1,
        action: draft.action,
        results: draft.results,
        timeline: draft.timeline,
        lead: draft.lead,
        resources: draft.resources,
        measure: draft.measure,
        status: 'planned',
        updatedById: draft.updatedById,
      },
    });
    return { kind: 'added', row, number: last._count._all + 1 };
  });
}

// ---- versions ----

/** A row as saved in a version. */
export interface SnapshotRow {
  number: number;
  action: string;
  results: string;
  timeline: string;
  lead: string;
  resources: string;
  measure: string;
  status: RowStatus;
}

export function snapshotOf(rows: readonly ActionPlanRow[]): SnapshotRow[] {
  return rows.map((row, index) => ({
    number: index + 1,
    action: row.action,
    results: row.results,
    timeline: row.timeline,
    lead: row.lead,
    resources: row.resources,
    measure: row.measure,
    status: isRowStatus(row.status) ? row.status : 'planned',
  }));
}

export function parseSnapshot(snapshot: string): SnapshotRow[] {
  try {
    const rows = JSON.parse(snapshot) as unknown;
    return Array.isArray(rows) ? (rows as SnapshotRow[]) : [];
  } catch {
    return [];
  }
}

export function listVersions(db: Database, planId: number): Promise<ActionPlanVersion[]> {
  return db.actionPlanVersion.findMany({ where: { planId }, orderBy: { version: 'asc' } });
}

export function latestVersion(db: Database, planId: number): Promise<ActionPlanVersion | null> {
  return db.actionPlanVersion.findFirst({ where: { planId }, orderBy: { version: 'desc' } });
}

export function findVersion(db: Database, versionId: number): Promise<(ActionPlanVersion & { plan: ActionPlan }) | null> {
  return db.actionPlanVersion.findUnique({ where: { id: versionId }, include: { plan: true } });
}

export type SaveOutcome = { ok: true; version: ActionPlanVersion } | { ok: false; reason: 'empty' } | { ok: false; reason: 'unchanged'; version: number };

/**
 * Saves the plan's rows as the next version (the latest saved one + 1) with its date.
 * Nothing is saved for an empty plan or when nothing changed since the latest version;
 * when two people save at once, one of them saves and the other is told it is unchanged.
 */
export async function saveVersion(db: Database, planId: number, personId: number, at: Date): Promise<SaveOutcome> {
  try {
    return await db.$transaction(async (tx): Promise<SaveOutcome> => {
      const rows = await tx.actionPlanRow.findMany({ where: { planId, status: { not: DRAFT } }, orderBy: [{ position: 'asc' }, { id: 'asc' }] });
      if (rows.length === 0) return { ok: false, reason: 'empty' };
      const snapshot = JSON.stringify(snapshotOf(rows));
      const latest = await tx.actionPlanVersion.findFirst({ where: { planId }, orderBy: { version: 'desc' } });
      if (latest && latest.snapshot === snapshot) return { ok: false, reason: 'unchanged', version: latest.version };
      const number = (latest?.version ?? 0) + 1;
      const version = await tx.actionPlanVersion.create({ data: { planId, version: number, snapshot, createdById: personId, createdAt: at } });
      await tx.actionPlan.update({ where: { id: planId }, data: { version: number } });
      return { ok: true, version };
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
    const latest = await latestVersion(db, planId);
    return { ok: false, reason: 'unchanged', version: latest?.version ?? 0 };
  }
}
