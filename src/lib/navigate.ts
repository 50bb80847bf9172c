import Taro from '@tarojs/taro';
import { isTab, routeTo, type PageName } from '../routes';

/** Opens a page: a tab is switched to (navigateTo refuses tab pages), any other page is pushed. */
export function go(page: PageName): void {
  const url = routeTo(page);
  void (isTab(page) ? Taro.switchTab({ url }) : Taro.navigateTo({ url }));
}
