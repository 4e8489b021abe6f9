import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type { NativeSqlite, WithNativeSqlite } from './adapter.js';
import type { Database } from './database.js';
import { noteStatement, noteTransaction } from './statement-count.js';

/**
 * Plain SQL sent straight to the driver adapter the Prisma client itself uses (one
 * connection for SQLite, one pool for PostgreSQL). The statements on the path of every
 * update (src/db/person-state.ts, form answers, processed updates) and of the busiest
 * commands (the programme, a response, someone's first message) go this way: through the
 * client, each costs several times what running it does (request batching, the query
 * plan, serialising the values; see bench/form-throughput.ts). The model files keep them.
 * Values are handed to the adapter as they are; it converts dates, booleans and big
 * integers exactly as it does for the client's own queries. On SQLite the statements run
 * on the connection itself (src/db/adapter.ts, NativeSqlite), with the values converted
 * the same way: the adapter's conversion of every value and row is a good part of what a
 * small statement costs there.
 */
export interface DirectSql {
  readonly provider: Provider;
  query<Row>(statement: Statement): Promise<Row[]>;
  /** The number of rows the statement changed. */
  execute(statement: Statement): Promise<number>;
  /** Runs the statements in order in one transaction; the number of rows each changed. */
  transaction(statements: readonly Statement[]): Promise<number[]>;
}

/** A statement with its values in place of placeholders, made with `sql`. */
export interface Statement {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}

/** `sql\`UPDATE "T" SET "a" = ${a}\`` — the values become placeholders of the database's dialect. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
  return { strings, values };
}

export type Provider = 'sqlite' | 'postgresql';

/** The text of a statement for the database: SQLite numbers placeholders `?`, PostgreSQL `$1`. */
const texts = new Map<Provider, WeakMap<readonly string[], string>>([
  ['sqlite', new WeakMap()],
  ['postgresql', new WeakMap()],
]);

function textOf(statement: Statement, provider: Provider): string {
  const cache = texts.get(provider)!;
  let text = cache.get(statement.strings);
  if (text === undefined) {
    text = statement.strings.reduce((sql, part, i) => `${sql}${provider === 'sqlite' ? '?' : `$${i}`}${part}`);
    cache.set(statement.strings, text);
  }
  return text;
}

/**
 * Runs a statement inside a transaction of the Prisma client (a model file's longer writes), so
 * that one statement serves both ways of writing.
 */
export function executeInTransaction(
  tx: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> },
  provider: Provider,
  statement: Statement,
): Promise<number> {
  return tx.$executeRawUnsafe(textOf(statement, provider), ...statement.values);
}

const ANY = { scalarType: 'unknown', arity: 'scalar' } as const;

function toQuery(statement: Statement, provider: Provider): SqlQuery {
  return { sql: textOf(statement, provider), args: [...statement.values], argTypes: statement.values.map(() => ANY) };
}

function rowsOf<Row>(result: { columnNames: string[]; rows: unknown[][] }): Row[] {
  const { columnNames, rows } = result;
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) row[columnNames[i]!] = values[i];
    return row as Row;
  });
}

const COMMIT: SqlQuery = { sql: 'COMMIT', args: [], argTypes: [] };
const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };

function overAdapter(connect: () => Promise<SqlDriverAdapter & WithNativeSqlite>, provider: Provider): DirectSql {
  const viaAdapter: DirectSql = {
    provider,
    async query<Row>(statement: Statement) {
      return rowsOf<Row>(await (await connect()).queryRaw(toQuery(statement, provider)));
    },
    async execute(statement) {
      return (await connect()).executeRaw(toQuery(statement, provider));
    },
    async transaction(statements) {
      // As the Prisma client ends a transaction it started: COMMIT (or ROLLBACK) through it, then hand it back.
      const transaction = await (await connect()).startTransaction();
      const phantom = transaction.options.usePhantomQuery;
      try {
        const changed: number[] = [];
        for (const statement of statements) changed.push(await transaction.executeRaw(toQuery(statement, provider)));
        if (!phantom) await transaction.executeRaw(COMMIT);
        await transaction.commit();
        return changed;
      } catch (error) {
        try {
          if (!phantom) await transaction.executeRaw(ROLLBACK);
        } finally {
          await transaction.rollback();
        }
        throw error;
      }
    },
  };
  if (provider !== 'sqlite') return viaAdapter;
  const native = async () => (await connect()).nativeSqlite;
  return {
    provider,
    async query<Row>(statement: Statement) {
      const sqlite = await native();
      if (!sqlite) return viaAdapter.query<Row>(statement);
      return sqlite.exclusive(() => rowsOf<Row>(runNative(sqlite, statement, true)));
    },
    async execute(statement) {
      const sqlite = await native();
      if (!sqlite) return viaAdapter.execute(statement);
      return sqlite.exclusive(() => runNative(sqlite, statement, false).changes);
    },
    async transaction(statements) {
      const sqlite = await native();
      if (!sqlite) return viaAdapter.transaction(statements);
      // better-sqlite3 runs each statement to its end: the whole transaction runs without a pause.
      return sqlite.exclusive(() => {
        noteTransaction();
        sqlite.prepare('BEGIN').run();
        try {
          const changed = statements.map((statement) => runNative(sqlite, statement, false).changes);
          sqlite.prepare('COMMIT').run();
          return changed;
        } catch (error) {
          sqlite.prepare('ROLLBACK').run();
          throw error;
        }
      });
    },
  };
}

/** Values as the better-sqlite3 adapter stores them: dates as ISO text, booleans as 0 and 1. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function runNative(sqlite: NativeSqlite, statement: Statement, read: true): { columnNames: string[]; rows: unknown[][] };
function runNative(sqlite: NativeSqlite, statement: Statement, read: false): { changes: number };
function runNative(sqlite: NativeSqlite, statement: Statement, read: boolean) {
  const text = textOf(statement, 'sqlite');
  noteStatement(text);
  const prepared = sqlite.prepare(text) as NativeStatement;
  prepared.bind(statement.values.map(sqliteValue));
  if (!read) return { changes: (prepared.run() as { changes: number }).changes };
  return { columnNames: (prepared.columns() as Array<{ name: string }>).map((c) => c.name), rows: prepared.all() as unknown[][] };
}

/** The cached statement view of src/db/adapter.ts: bound once, then run or read (rows as arrays). */
type NativeStatement = ReturnType<NativeSqlite['prepare']> & { bind(args: unknown[]): unknown };

/**
 * One adapter connection shared by the Prisma client and DirectSql: the client connects
 * through `factory`, DirectSql through `connect`. When the client disconnects (it disposes
 * the connection), the next use by either connects afresh.
 */
export function sharedConnection(factory: SqlMigrationAwareDriverAdapterFactory) {
  let current: Promise<SqlDriverAdapter & WithNativeSqlite> | undefined;
  const connect = () => {
    current ??= factory.connect().then(
      (adapter): SqlDriverAdapter & WithNativeSqlite => ({
        provider: adapter.provider,
        adapterName: adapter.adapterName,
        nativeSqlite: (adapter as WithNativeSqlite).nativeSqlite,
        queryRaw: (query) => adapter.queryRaw(query),
        executeRaw: (query) => adapter.executeRaw(query),
        executeScript: (script) => adapter.executeScript(script),
        startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
        getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
        dispose: async () => {
          current = undefined;
          await adapter.dispose();
        },
      }),
      (error: unknown) => {
        current = undefined;
        throw error;
      },
    );
    return current;
  };
  const shared: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect,
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  return { factory: shared, connect };
}

// ---- Reading what a statement returns: the same on both databases and either way there ----

/** A boolean column: SQLite gives 0 or 1 (a big integer on its own connection). */
export const asBoolean = (value: unknown): boolean => value === true || value === 1 || value === 1n || value === '1';

/** A date column: ISO text, milliseconds, or a Date. */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(typeof value === 'bigint' ? Number(value) : (value as string | number));
}

/** A number column (SQLite's own connection gives big integers). */
export const asNumber = (value: unknown): number => Number(value);

export const asNumberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

const registry = new WeakMap<object, DirectSql>();

/** Notes the direct way to the database of a client made by openDatabase. */
export function registerDirectSql(db: object, connect: () => Promise<SqlDriverAdapter & WithNativeSqlite>, provider: Provider): void {
  registry.set(db, overAdapter(connect, provider));
}

/** The direct way to this client's database (see DirectSql). */
export function directSql(db: Database): DirectSql {
  const direct = registry.get(db);
  if (!direct) throw new Error('This database client was not opened with openDatabase (src/db/database.ts)');
  return direct;
}
