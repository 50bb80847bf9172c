/**
 * The outbound side of each payment platform, as reconciliation uses it:
 * a signed API client and the order → payment mapping, or the reason the
 * channel cannot be reconciled here (shown to HQ as it is).
 */
import type { Config } from '../config.js';
import type { ReconciliationDeps } from '../services/reconciliation.js';
import { AlipayApi } from './alipay/api-client.js';
import { alipaySdk } from './alipay/handle.js';
import { alipayOrderFact, wechatOrderFact } from './order-facts.js';
import { WechatPayApi } from './wechatpay/api-client.js';

// The sandbox never talks to the network: its keys are generated, and no platform knows them.
const SANDBOX = 'Sandbox keys: there is no payment platform to reconcile against; configure the real keys.';

export function platformApis(config: Config, clock: () => number): Pick<ReconciliationDeps, 'wechatpay' | 'alipay'> {
  const storePrefixes = config.orderStorePrefixes;
  const w = config.wechatpay;
  const a = config.alipay;
  return {
    wechatpay: !w
      ? 'WeChat Pay is not configured (WECHATPAY_MCHID).'
      : w.sandbox
        ? SANDBOX
        : !w.merchant
          ? 'Outbound WeChat Pay calls need the merchant API key: set WECHATPAY_MCH_SERIAL_NO and WECHATPAY_MCH_PRIVATE_KEY.'
          : {
              api: new WechatPayApi(w, w.merchant, clock),
              fact: (order) => wechatOrderFact(order, { config: w, clock, storePrefixes }),
            },
    alipay: !a
      ? 'Alipay is not configured (ALIPAY_APP_ID).'
      : a.sandbox
        ? SANDBOX
        : {
            api: new AlipayApi(alipaySdk(a)),
            fact: (order) => alipayOrderFact(order, { config: a, clock, storePrefixes }),
          },
  };
}
