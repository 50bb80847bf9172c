export default definePageConfig({ navigationBarTitleText: '领取积分' });
