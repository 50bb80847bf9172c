export default definePageConfig({ navigationBarTitleText: '关联的付款账户', enablePullDownRefresh: true });
