/**
 * The SQLite schema, as an ordered list of migrations tracked in `PRAGMA user_version`.
 * Append new migrations; never edit one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    icon TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    public INTEGER NOT NULL,
    password_hash TEXT NOT NULL
  );
  -- Names and emails are unique regardless of case, so that 'Alice' cannot impersonate 'alice'.
  CREATE UNIQUE INDEX users_name ON users(name COLLATE NOCASE);
  CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);
  -- Paths name users exactly; this index serves those lookups.
  CREATE INDEX users_name_exact ON users(name);

  CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    icon TEXT NOT NULL DEFAULT '',
    apikey TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    public INTEGER NOT NULL,
    role TEXT NOT NULL,
    visible INTEGER NOT NULL,
    user_editable INTEGER NOT NULL,
    UNIQUE (user_id, name)
  );
  -- The meta device has an empty key and cannot log in; every other key is unique.
  CREATE UNIQUE INDEX devices_apikey ON devices(apikey) WHERE apikey <> '';

  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    icon TEXT NOT NULL DEFAULT '',
    schema TEXT NOT NULL,
    datatype TEXT NOT NULL DEFAULT '',
    ephemeral INTEGER NOT NULL,
    downlink INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    downlink_timeout REAL NOT NULL DEFAULT 0,
    UNIQUE (device_id, name)
  );

  -- Row-per-datapoint layout (the benchmark baseline); ties in t keep insertion order through id.
  CREATE TABLE datapoints (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    t REAL NOT NULL,
    d TEXT NOT NULL,
    o TEXT
  );
  CREATE INDEX datapoints_by_time ON datapoints(stream_id, substream, t, id);

  -- Chunked layout (the default, see storage/series/chunking.ts). AUTOINCREMENT so that a rewritten
  -- chunk never reuses an id: decoded chunks are cached by id.
  CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    first_index INTEGER NOT NULL,
    count INTEGER NOT NULL,
    t_start REAL NOT NULL,
    t_end REAL NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX chunks_by_index ON chunks(stream_id, substream, first_index);
  CREATE INDEX chunks_by_end ON chunks(stream_id, substream, t_end);

  CREATE TABLE tail (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    t REAL NOT NULL,
    d TEXT NOT NULL,
    o TEXT
  );
  CREATE INDEX tail_by_time ON tail(stream_id, substream, t, id);

  CREATE TABLE rollups (
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    level REAL NOT NULL,
    period_start REAL NOT NULL,
    version INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (stream_id, substream, level, period_start)
  ) WITHOUT ROWID;

  CREATE TABLE stream_stats (
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    count INTEGER NOT NULL,
    last_t REAL NOT NULL,
    chunked_count INTEGER NOT NULL DEFAULT 0,
    chunk_end_t REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (stream_id, substream)
  ) WITHOUT ROWID;

  CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_age ON idempotency(created_at);

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    expires_at REAL NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE login_failures (
    address TEXT NOT NULL,
    at REAL NOT NULL
  );
  CREATE INDEX login_failures_by_address ON login_failures(address, at);
  `,
  `
  -- The tail's rows are kept in memory (SqliteTail.ts). Without the index, a commit of small writes
  -- to many streams appends to the table's last page instead of touching a page per stream.
  -- AUTOINCREMENT: ids only grow, as tail_folded's marks need. A fold marks its rows folded rather
  -- than deleting them one by one from pages all over the table; they are deleted later as a prefix.
  CREATE TABLE tail_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    t REAL NOT NULL,
    d TEXT NOT NULL,
    o TEXT
  );
  INSERT INTO tail_rows (id, stream_id, substream, t, d, o) SELECT id, stream_id, substream, t, d, o FROM tail;
  DROP TABLE tail;
  ALTER TABLE tail_rows RENAME TO tail;

  -- Each substream's rows with ids up to through_id are in its chunks.
  CREATE TABLE tail_folded (
    stream_id INTEGER NOT NULL,
    substream INTEGER NOT NULL,
    through_id INTEGER NOT NULL,
    PRIMARY KEY (stream_id, substream)
  ) WITHOUT ROWID;
  `,
];
