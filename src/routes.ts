/** Page paths, declared once: app.config.ts registers them and pages navigate with them. */
export const PAGES = {
  home: 'pages/index/index',
  history: 'pages/history/index',
  rewards: 'pages/rewards/index',
  vouchers: 'pages/vouchers/index',
  pay: 'pages/pay/index',
  phone: 'pages/phone/index',
  /** Payment accounts tied to the member by checkout claims. */
  links: 'pages/links/index',
  /** Opened by the checkout QR: the H5 link and the wxacode both carry `scene` = the ticket. */
  claim: 'pages/claim/index',
  staff: 'pages/staff/index',
  staffClaim: 'pages/staff/claim',
  staffCheckout: 'pages/staff/checkout',
  staffVoucher: 'pages/staff/voucher',
} as const;

export type PageName = keyof typeof PAGES;

/** The absolute URL Taro.navigateTo expects. */
export const routeTo = (page: PageName): string => `/${PAGES[page]}`;
