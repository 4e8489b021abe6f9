import type { Visit } from '../generated/sqlite/client.ts';
import type { VisitKind } from '../domain/progress.js';
import type { Database } from './database.js';

export type { Visit };

/** The handbook's three visits of a pair: planned (date, city), then done (with who took part and what came out of it). */

export const MAX_CITY_LENGTH = 100;
export const MAX_VISIT_TEXT_LENGTH = 500;

export function listVisits(db: Database, pairId: number): Promise<Visit[]> {
  return db.visit.findMany({ where: { pairId }, orderBy: { number: 'asc' } });
}

export function findVisit(db: Database, pairId: number, number: number): Promise<Visit | null> {
  return db.visit.findUnique({ where: { pairId_number: { pairId, number } } });
}

/** Plans a visit, or moves its plan (a visit already done keeps its record). */
export function planVisit(
  db: Database,
  visit: { pairId: number; number: 1 | 2 | 3; kind: VisitKind; city: string; plannedFor: string },
): Promise<Visit> {
  return db.visit.upsert({
    where: { pairId_number: { pairId: visit.pairId, number: visit.number } },
    create: { pairId: visit.pairId, number: visit.number, kind: visit.kind, city: visit.city, plannedFor: visit.plannedFor },
    update: { city: visit.city, plannedFor: visit.plannedFor, kind: visit.kind },
  });
}

/** Records that a visit took place; saying it again corrects the record. */
export function recordVisitDone(
  db: Database,
  visit: { pairId: number; number: 1 | 2 | 3; kind: VisitKind; city: string; doneOn: string; participants: string; outcomes: string },
): Promise<Visit> {
  const data = { kind: visit.kind, city: visit.city, doneOn: visit.doneOn, participants: visit.participants, outcomes: visit.outcomes };
  return db.visit.upsert({
    where: { pairId_number: { pairId: visit.pairId, number: visit.number } },
    create: { pairId: visit.pairId, number: visit.number, ...data },
    update: data,
  });
}
