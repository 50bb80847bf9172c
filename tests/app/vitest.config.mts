/**
 * Component tests of the Taro app: real Taro H5 components rendered by React
 * in jsdom (the recipe measured in ../shared/notes/taro.md). The transport is
 * the one thing replaced, per test, so each page's states can be driven.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineProject({
  root: here('../..'),
  plugins: [react()],
  logLevel: 'error',
  resolve: {
    alias: [
      { find: /^@tarojs\/components$/, replacement: '@tarojs/components/lib/react' },
      { find: /^@tarojs\/taro$/, replacement: here('./taro-shim.ts') },
      { find: /^.*\.scss$/, replacement: here('./no-styles.css') },
    ],
  },
  define: {
    'process.env.TARO_ENV': JSON.stringify('h5'),
    'process.env.TARO_PLATFORM': JSON.stringify('web'),
    'process.env.FRAMEWORK': JSON.stringify('react'),
    'process.env.SUPPORT_TARO_POLYFILL': JSON.stringify('disabled'),
    'process.env.SUPPORT_DINGTALK_NAVIGATE': JSON.stringify('disabled'),
    DEPRECATED_ADAPTER_COMPONENT: 'false',
    ENABLE_INNER_HTML: 'true',
    ENABLE_ADJACENT_HTML: 'true',
    ENABLE_SIZE_APIS: 'false',
    ENABLE_TEMPLATE_CONTENT: 'true',
    ENABLE_CLONE_NODE: 'true',
    ENABLE_CONTAINS: 'true',
    ENABLE_MUTATION_OBSERVER: 'false',
  },
  test: {
    name: 'app',
    dir: here('.'),
    include: ['**/*.test.tsx'],
    environment: 'jsdom',
    setupFiles: [here('./setup.ts')],
    css: false,
  },
});
