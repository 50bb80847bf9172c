/** The function bundles on SQLite: also proves the SQL driver, left out of the bundles, loads when DATABASE_URL names it. */
import { join } from 'node:path';
import { bundleSuite } from './bundle-suite.js';

bundleSuite((dir) => `sqlite:${join(dir, 'jifen.db')}`);
