import { loadConfig } from '/work/main/src/config.ts';
import { openDatabase } from '/work/main/src/db/database.ts';
import { loadPersonState } from '/work/main/src/db/person-state.ts';
const url = `file:/tmp/pbench-${process.pid}.db`;
const db = await openDatabase(loadConfig({ BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789', DATABASE_URL: url }).database, { migrate: true });
const p = await db.person.create({ data: { telegramId: 42n, firstName: 'A', language: 'en' } });
async function time(label: string, n: number, f: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await f();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(40), ((c.user + c.system) / 1000 / n).toFixed(3), 'ms CPU/call', ((performance.now() - t0) / n).toFixed(3), 'ms wall');
}
await time('$queryRaw SELECT 1', 3000, () => db.$queryRaw`SELECT 1`);
await time('loadPersonState', 3000, () => loadPersonState(db, 42n, '42'));
await time('findUnique person', 3000, () => db.person.findUnique({ where: { id: p.id } }));
await time('updateMany formSession', 3000, () => db.formSession.updateMany({ where: { personId: p.id }, data: { askedQuestionId: 'x' } }));
await time('batch tx [raw, updateMany, deleteMany]', 2000, () => db.$transaction([db.$executeRaw`UPDATE "Person" SET "firstName"='A' WHERE id=${p.id}`, db.formSession.updateMany({ where: { personId: p.id }, data: { askedQuestionId: 'x' } }), db.conversationState.deleteMany({ where: { key: 'zz' } })]));
await time('batch tx [raw, raw, raw]', 2000, () => db.$transaction([db.$executeRaw`UPDATE "Person" SET "firstName"='A' WHERE id=${p.id}`, db.$executeRaw`UPDATE "FormSession" SET "askedQuestionId"='x' WHERE "personId"=${p.id}`, db.$executeRaw`DELETE FROM "ConversationState" WHERE key='zz'`]));
await db.$disconnect();
