import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { resetTransport } from './fake-transport';
import { resetPageEvents } from './taro-shim';

vi.mock('../../src/api/transport', () => import('./fake-transport'));

afterEach(() => {
  cleanup();
  resetTransport();
  resetPageEvents();
  window.localStorage.clear();
});
