/** Page paths, declared once: app.config.ts registers them and pages navigate with them. */
export const PAGES = {
  home: 'pages/index/index',
  rewards: 'pages/rewards/index',
  /** 我的: the member's own settings and every secondary page. */
  mine: 'pages/mine/index',
  tier: 'pages/tier/index',
  earn: 'pages/earn/index',
  history: 'pages/history/index',
  vouchers: 'pages/vouchers/index',
  pay: 'pages/pay/index',
  phone: 'pages/phone/index',
  /** Payment accounts tied to the member by checkout claims. */
  links: 'pages/links/index',
  /** 我的数据与隐私: export my data, my consents, ask to be erased (PIPL). */
  privacy: 'pages/privacy/index',
  /** Opened by the checkout QR: the H5 link and the wxacode both carry `scene` = the ticket. */
  claim: 'pages/claim/index',
  staff: 'pages/staff/index',
  staffClaim: 'pages/staff/claim',
  staffCheckout: 'pages/staff/checkout',
  staffVoucher: 'pages/staff/voucher',
} as const;

export type PageName = keyof typeof PAGES;

/** The tab bar, in order: these pages are reached with switchTab, never pushed. */
export const TABS: { page: PageName; text: string; icon: string }[] = [
  { page: 'home', text: '首页', icon: 'home' },
  { page: 'rewards', text: '兑换', icon: 'gift' },
  { page: 'mine', text: '我的', icon: 'person' },
];

/**
 * Staff pages live in their own subpackage: members never download the
 * till's code. The root is the folder the pages already sit in.
 */
export const STAFF_ROOT = 'pages/staff';

/** The absolute URL Taro.navigateTo expects. */
export const routeTo = (page: PageName): string => `/${PAGES[page]}`;

export const isTab = (page: PageName): boolean => TABS.some((t) => t.page === page);
