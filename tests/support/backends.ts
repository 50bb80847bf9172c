/**
 * The backends a suite loops over: SQLite always, PostgreSQL when the test
 * server is up. Later: the CloudBase stand-in and, with credentials, live.
 */
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
}

export function backends(): BackendCase[] {
  const pgUrl = inject('pgUrl');
  return [
    {
      name: 'sqlite',
      skip: '',
      freshUrl: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-sqlite-')), 'jifen.db')}`,
    },
    {
      name: 'postgres',
      skip: pgUrl ? '' : `PostgreSQL unavailable: ${inject('pgSkipReason')}`,
      freshUrl: () => createDatabase(pgUrl, 'jifen_test'),
    },
  ];
}

export async function freshStore(b: BackendCase): Promise<Store> {
  return openStore(await b.freshUrl());
}
