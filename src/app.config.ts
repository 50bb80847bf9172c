import { PAGES, STAFF_ROOT, TABS } from './routes';

const all = Object.values(PAGES) as string[];
const inStaff = (p: string) => p.startsWith(`${STAFF_ROOT}/`);

export default defineAppConfig({
  pages: all.filter((p) => !inStaff(p)),
  subPackages: [{ root: STAFF_ROOT, pages: all.filter(inStaff).map((p) => p.slice(STAFF_ROOT.length + 1)) }],
  // Only the components a page renders are loaded (WeChat's 按需注入).
  lazyCodeLoading: 'requiredComponents',
  window: {
    navigationBarTitleText: '会员积分',
    navigationBarBackgroundColor: '#b91c1c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f6f6f6',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#b91c1c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    // Icons drawn by config/tab-icons.ts (WeChat takes only PNG or JPG here).
    list: TABS.map((t) => ({
      pagePath: PAGES[t.page],
      text: t.text,
      iconPath: `assets/tab/${t.icon}.png`,
      selectedIconPath: `assets/tab/${t.icon}-on.png`,
    })),
  },
});
