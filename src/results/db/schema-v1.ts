/**
 * Version 1 of the results schema. Rows are keyed by surrogate ids; the natural keys a run
 * reports (run id, env id, run-case id, attempt number) are unique so that writing a result twice
 * (a resumed run, merge-reports replaying events) updates instead of duplicating.
 */
export const SCHEMA_V1 = `
CREATE TABLE runs (
  id {id},
  run_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  platform TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  duration_ms BIGINT NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  passed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  attempted INTEGER NOT NULL DEFAULT 0,
  unfinished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE combinations (
  id {id},
  run_pk BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  variables TEXT NOT NULL,
  UNIQUE (run_pk, name)
);
CREATE TABLE environments (
  id {id},
  run_pk BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  env_id TEXT NOT NULL,
  combination TEXT NOT NULL,
  platform TEXT NOT NULL,
  image TEXT,
  kernel TEXT,
  distro TEXT,
  vm_size TEXT,
  nodes TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  broken TEXT,
  UNIQUE (run_pk, env_id)
);
CREATE TABLE cases (
  id {id},
  run_pk BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  run_case_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  name TEXT NOT NULL,
  suite TEXT NOT NULL,
  area TEXT NOT NULL,
  priority INTEGER NOT NULL,
  tags TEXT NOT NULL,
  combination TEXT NOT NULL,
  iteration INTEGER NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  duration_ms BIGINT NOT NULL,
  env_id TEXT,
  log_path TEXT,
  started_at TEXT,
  ended_at TEXT,
  unfinished INTEGER NOT NULL DEFAULT 0,
  UNIQUE (run_pk, run_case_id)
);
CREATE INDEX cases_by_case ON cases (case_id, run_pk);
CREATE INDEX cases_by_area ON cases (area, run_pk);
CREATE TABLE attempts (
  id {id},
  case_pk BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  env_id TEXT,
  log_path TEXT,
  started_at TEXT,
  ended_at TEXT,
  duration_ms BIGINT NOT NULL,
  will_retry INTEGER NOT NULL DEFAULT 0,
  UNIQUE (case_pk, attempt)
);
CREATE TABLE sub_results (
  id {id},
  attempt_pk BIGINT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT
);
CREATE TABLE metrics (
  id {id},
  attempt_pk BIGINT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  value {real} NOT NULL,
  unit TEXT,
  higher_is_better INTEGER,
  description TEXT
);
CREATE INDEX metrics_by_name ON metrics (name);
`;
