import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.js";

/**
 * SqlStatement is the part of a better-sqlite3 prepared statement the server uses. It is
 * declared here, not taken from @types/better-sqlite3, so the published types need nothing
 * outside `dependencies` (a consumer with `skipLibCheck: false` type-checks them).
 */
export interface SqlStatement<Params extends unknown[] = unknown[], Result = unknown> {
  run(...params: Params): { changes: number; lastInsertRowid: number | bigint };
  get(...params: Params): Result | undefined;
  all(...params: Params): Result[];
}

/** SqlTransaction runs its function in a transaction; `immediate()` takes the write lock first. */
export interface SqlTransaction<T> {
  (): T;
  immediate(): T;
}

/** Db is the reference server's SQLite handle (better-sqlite3, synchronous), as far as the server uses it. */
export interface Db {
  prepare<Params extends unknown[] | {} = unknown[], Result = unknown>(sql: string): Params extends unknown[] ? SqlStatement<Params, Result> : SqlStatement<[Params], Result>;
  transaction<T>(fn: () => T): SqlTransaction<T>;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): unknown;
  close(): unknown;
}

/**
 * openDatabase opens (creating it and its folder if needed) the workspace database at
 * `path` in WAL mode with foreign keys on, and brings its schema up to date.
 * Durability: WAL with synchronous = NORMAL, so a committed transaction survives the
 * server process dying at any point (SIGKILL included: the WAL is in the OS before the
 * commit returns); only an OS crash or power loss may lose the last few commits. FULL
 * would fsync every commit and cost several times the write throughput.
 * Privacy: a missing folder is created 0700 and a missing database file 0600 before
 * SQLite opens it; SQLite gives the -wal and -shm files the database file's mode.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600)); // creates it private; an existing file keeps its mode
  }
  const db: Db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

/** migrate applies the migrations the database has not seen yet, each in its own transaction. */
function migrate(db: Db): void {
  const applied = db.pragma("user_version", { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(`the database schema (version ${applied}) is newer than this server (version ${MIGRATIONS.length})`);
  }
  for (let i = applied; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
}
