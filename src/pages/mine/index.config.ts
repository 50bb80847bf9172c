export default definePageConfig({
  navigationBarTitleText: '我的',
  enablePullDownRefresh: true,
  // Sharing carries the member's referral code (lib/referral.ts).
  enableShareAppMessage: true,
});
