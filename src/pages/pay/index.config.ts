export default definePageConfig({
  navigationBarTitleText: '积分付款',
  // The code is shown to a scanner: keep the screen awake and bright is the till's job, not ours.
});
