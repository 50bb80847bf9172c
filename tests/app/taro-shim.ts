/**
 * `@tarojs/taro` for component tests: the real H5 implementation
 * (@tarojs/taro-h5) with its named APIs on the default export, as the H5
 * build sees them. The page hooks are provided by Taro's runtime in a real
 * app; here they record their callbacks so a test can pull to refresh or
 * scroll to the bottom, and useRouter reads the location hash as H5 does.
 */
import * as h5 from '@tarojs/taro-h5';

type Callback = () => void;
interface ShimState {
  pageEvents: { pullDownRefresh: Callback[]; reachBottom: Callback[]; didShow: Callback[]; didHide: Callback[] };
  share: (() => unknown)[];
}
// On globalThis: the app reaches this file through the `@tarojs/taro` alias and
// the tests by its path, and the two can be separate module instances.
const shared = globalThis as { __jifenTaroShim?: ShimState };
const state = (shared.__jifenTaroShim ??= {
  pageEvents: { pullDownRefresh: [], reachBottom: [], didShow: [], didHide: [] },
  share: [],
});
export const pageEvents = state.pageEvents;
/** What each rendered page's onShareAppMessage would answer (the last render's is last). */
export const shareHandlers = state.share;

/** Opens a page the way the H5 hash router sees it: `openPage('pages/claim/index?scene=X')`. */
export function openPage(path: string): void {
  window.location.hash = `#/${path}`;
}

export function resetPageEvents(): void {
  pageEvents.pullDownRefresh = [];
  pageEvents.reachBottom = [];
  pageEvents.didShow = [];
  pageEvents.didHide = [];
  shareHandlers.length = 0;
  window.location.hash = '';
}

export const usePullDownRefresh = (fn: Callback) => void pageEvents.pullDownRefresh.push(fn);
export const useReachBottom = (fn: Callback) => void pageEvents.reachBottom.push(fn);
export const useDidShow = (fn: Callback) => void pageEvents.didShow.push(fn);
export const useDidHide = (fn: Callback) => void pageEvents.didHide.push(fn);
export const useShareAppMessage = (fn: () => unknown) => void shareHandlers.push(fn);
export const useLaunch = (_fn: Callback) => undefined;
/** Like Taro H5's: the params of the query in the location hash. */
export const useRouter = () => {
  const query = window.location.hash.split('?')[1] ?? '';
  return { params: Object.fromEntries(new URLSearchParams(query)) };
};

// The built app calls this at start with config/index.ts's numbers; pxTransform needs them.
h5.initPxTransform({ designWidth: 750, deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 } });

const base = (h5 as unknown as { default?: object }).default ?? {};
const Taro = Object.assign({}, base, h5, {
  usePullDownRefresh,
  useReachBottom,
  useDidShow,
  useDidHide,
  useShareAppMessage,
  useLaunch,
  useRouter,
});
export default Taro;
export * from '@tarojs/taro-h5';
