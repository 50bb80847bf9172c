export default definePageConfig({
  navigationBarTitleText: '我的积分',
  enablePullDownRefresh: true,
  // Sharing carries the member's referral code (lib/referral.ts).
  enableShareAppMessage: true,
});
