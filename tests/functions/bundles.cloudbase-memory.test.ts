/**
 * The function bundles on the CloudBase in-memory stand-in (not a real
 * environment: cloudbase-memory://, core/store/cloudbase/memory-db.ts). Like
 * the functions of one CloudBase environment, the four bundles in this
 * process share one database, though each carries its own copy of the
 * adapter code: the stand-in keeps its databases on globalThis.
 */
import { randomBytes } from 'node:crypto';
import { bundleSuite } from './bundle-suite.js';

bundleSuite(() => `cloudbase-memory://functions-${randomBytes(4).toString('hex')}`);
