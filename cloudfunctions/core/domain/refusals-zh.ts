/**
 * Plain Chinese for every refusal a member can meet, keyed by code. Every
 * DomainError with one of these codes carries it as details.zh, so the app
 * can show it as is (errors.ts attaches it).
 */
export const REFUSALS_ZH: Record<string, string> = {
  INSUFFICIENT_POINTS: '积分不足',
  MEMBER_IN_DEBT: '您有未结清的积分欠款，消费后即可恢复兑换',
  MEMBER_FROZEN: '账户已冻结，请联系门店',
  REWARD_INACTIVE: '该礼品已下架',
  REWARD_NOT_STARTED: '兑换尚未开始',
  REWARD_ENDED: '兑换已结束',
  NOT_ELIGIBLE: '您的会员等级暂不能兑换该礼品',
  OUT_OF_STOCK: '礼品已兑完',
  LIMIT_REACHED: '已达到兑换次数上限',
  DAILY_CAP_REACHED: '今日兑换已达上限，明天再来吧',
  VOUCHER_USED: '该券已使用',
  VOUCHER_EXPIRED: '该券已过期',
  VOUCHER_WRONG_STORE: '该券不能在本店使用',
  HOLD_EXPIRED: '付款码已过期，请刷新',
  HOLD_CLOSED: '付款码已失效',
  PHONE_TAKEN: '该手机号已绑定其他会员',
  ALREADY_CLAIMED: '该订单积分已被领取',
  TICKET_EXPIRED: '领取码已过期，请向收银员重新获取',
  VOUCHER_IN_REVIEW: '兑换正在审核中',
  IDEMPOTENCY_CONFLICT: '请求重复，请刷新后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  REFUND_WINDOW_CLOSED: '已超过可退回期限，请联系总部',
  VOUCHER_NOT_CANCELLABLE: '该券不能退回',
};
