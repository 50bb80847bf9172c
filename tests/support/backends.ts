/**
 * The backends a suite loops over: SQLite always, PostgreSQL when the test
 * server is up, the CloudBase in-memory stand-in always, and a real CloudBase
 * environment when TCB_ENV_ID and credentials are set.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { createDatabase } from './postgres.js';

export interface BackendCase {
  name: string;
  /** Why this backend is skipped here, '' when it runs. */
  skip: string;
  /** A DATABASE_URL for a fresh, empty database. */
  freshUrl(): Promise<string>;
  /** A document database: no SQL to reach around the port, no triggers. */
  documentStore: boolean;
}

const liveCloudbase = () =>
  Boolean(process.env.TCB_ENV_ID && process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY);

/** `acrossProcesses`: the suite starts servers of its own, so the database must be reachable from other processes. */
export function backends(opts: { acrossProcesses?: boolean } = {}): BackendCase[] {
  const pgUrl = inject('pgUrl');
  return [
    {
      name: 'sqlite',
      skip: '',
      freshUrl: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-sqlite-')), 'jifen.db')}`,
      documentStore: false,
    },
    {
      name: 'postgres',
      skip: pgUrl ? '' : `PostgreSQL unavailable: ${inject('pgSkipReason')}`,
      freshUrl: () => createDatabase(pgUrl, 'jifen_test'),
      documentStore: false,
    },
    {
      name: 'cloudbase in-memory stand-in (not a real CloudBase)',
      skip: opts.acrossProcesses ? 'the in-memory stand-in lives in one process; this suite runs several' : '',
      freshUrl: async () => `cloudbase-memory://test-${randomUUID()}`,
      documentStore: true,
    },
    {
      name: 'cloudbase live',
      skip: liveCloudbase() ? '' : 'TCB_ENV_ID and credentials not set',
      // A real environment is shared: each fresh database is a fresh collection prefix in it.
      freshUrl: async () =>
        `cloudbase://${process.env.TCB_ENV_ID}?prefix=t${Date.now().toString(36)}_${randomUUID().slice(0, 8)}_`,
      documentStore: true,
    },
  ];
}

export async function freshStore(b: BackendCase): Promise<Store> {
  return openStore(await b.freshUrl());
}
