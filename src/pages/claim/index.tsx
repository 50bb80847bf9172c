/**
 * Opened by the checkout QR: the H5 link carries `?scene=<ticket>`, the
 * mini-program code passes the same ticket as its `scene`. Claiming starts by
 * itself: the member scanned to get points, not to press another button. A
 * replayed claim gets the same answer, so retrying is always safe.
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { BigButton } from '../../components/buttons';
import { Empty, Failure } from '../../components/status-view';
import { SubscribePrompt } from '../../components/subscribe-prompt';
import { Result } from '../../components/result';
import { formatPoints, signedPoints } from '../../lib/format';
import { ticketOf } from '../../lib/ticket';
import { useRemote } from '../../lib/use-remote';
import { routeTo } from '../../routes';

/** Refusals a retry cannot change: unknown ticket, already claimed, expired. */
const FINAL = [404, 409, 410];

const home = () => void Taro.reLaunch({ url: routeTo('home') });

export default function Claim() {
  const ticket = ticketOf(useRouter().params.scene);
  const load = useCallback(() => (ticket ? api('claim', { ticket }) : Promise.resolve(null)), [ticket]);
  const [claim, retry] = useRemote(load);

  if (!ticket) return <Empty title="没有找到领取码" hint="请用微信扫描收银台或小票上的二维码" />;
  if (claim.state === 'loading')
    return (
      <View className="page">
        <Result tone="wait" title="正在领取积分…" />
      </View>
    );
  if (claim.state === 'error' && FINAL.includes(claim.status ?? 0))
    return (
      <View className="page">
        <Result tone="fail" title={claim.status === 404 ? '领取码无效，请向收银员确认' : claim.message}>
          <BigButton kind="ghost" onClick={home}>
            查看我的积分
          </BigButton>
        </Result>
      </View>
    );
  if (claim.state === 'error') return <Failure message={claim.message} onRetry={() => void retry()} />;
  const r = claim.data!;
  const waiting = r.status === 'waiting';
  return (
    <View className="page">
      <Result
        tone={waiting ? 'wait' : 'ok'}
        title={waiting ? '领取成功，等待支付确认' : `${signedPoints(r.points)} 积分`}
      >
        <Text className="muted">{waiting ? '支付结果一到，积分自动到账' : `当前余额 ${formatPoints(r.balance)}`}</Text>
      </Result>
      <SubscribePrompt />
      <View style={{ marginTop: '20px' }}>
        <BigButton onClick={home}>查看我的积分</BigButton>
      </View>
    </View>
  );
}
