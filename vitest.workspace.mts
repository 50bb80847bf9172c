// Two projects: the server suites (node) and the app's component tests (jsdom, Taro H5 components).
import { defineWorkspace } from 'vitest/config';

export default defineWorkspace(['./vitest.config.mts', './tests/app/vitest.config.mts']);
