export default definePageConfig({
  navigationBarTitleText: '如何赚积分',
  enablePullDownRefresh: true,
});
