export default definePageConfig({
  navigationBarTitleText: '会员等级',
  enablePullDownRefresh: true,
});
