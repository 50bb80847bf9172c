/**
 * The function bundles on the CloudBase in-memory stand-in (not a real
 * environment: cloudbase-memory://, core/store/cloudbase/memory-db.ts). Like
 * the functions of one CloudBase environment, the four bundles in this
 * process must share one database, though each carries its own copy of the
 * adapter code: that takes a registry of stand-in databases that is
 * process-wide (on globalThis), not per module copy.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleSuite } from './bundle-suite.js';

const standIn = readFileSync(
  new URL('../../cloudfunctions/core/store/cloudbase/memory-db.ts', import.meta.url),
  'utf8',
);
const shared = standIn.includes('globalThis');

bundleSuite(
  () => `cloudbase-memory://functions-${randomBytes(4).toString('hex')}`,
  shared ? undefined : 'the stand-in keeps its databases per module copy, so separately bundled functions cannot meet',
);
