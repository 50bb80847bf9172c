export default definePageConfig({ navigationBarTitleText: '领积分码' });
