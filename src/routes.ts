/** Page paths, declared once: app.config.ts registers them and pages navigate with them. */
export const PAGES = {
  home: 'pages/index/index',
  history: 'pages/history/index',
  rewards: 'pages/rewards/index',
} as const;

export type PageName = keyof typeof PAGES;

/** The absolute URL Taro.navigateTo expects. */
export const routeTo = (page: PageName): string => `/${PAGES[page]}`;
