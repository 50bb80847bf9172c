import { PAGES } from './routes';

export default defineAppConfig({
  pages: Object.values(PAGES),
  window: {
    navigationBarTitleText: '会员积分',
    navigationBarBackgroundColor: '#b91c1c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f6f6f6',
  },
});
