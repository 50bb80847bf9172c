import { Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { MemberView, Reward, Voucher } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { Sheet } from '../../components/sheet';
import { Empty, Failure, Loading } from '../../components/status-view';
import { VoucherCard } from '../../components/voucher-card';
import { Result } from '../../components/result';
import { formatPoints, groupDigits } from '../../lib/format';
import { newRequestId } from '../../lib/request-id';
import { rewardGlyph, rewardOffer, stockText } from '../../lib/reward-text';
import { useRemote } from '../../lib/use-remote';
import { go } from '../../lib/navigate';
import './index.scss';

const loadCatalog = async () => {
  const [catalog, me] = await Promise.all([api('rewards', {}), api('me', {})]);
  return { rewards: catalog.items.filter((r) => r.active), me };
};

export default function Rewards() {
  const [data, reload] = useRemote(loadCatalog);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <Failure message={data.message} onRetry={() => void reload()} />;
  if (data.data.rewards.length === 0) return <Empty title="暂无可兑换的礼品" hint="新礼品上架后会出现在这里" />;
  return <Catalog rewards={data.data.rewards} me={data.data.me} reload={reload} />;
}

type Step =
  | { at: 'confirm'; reward: Reward; requestId: string; busy: boolean; error: string }
  | { at: 'done'; voucher: Voucher; balance: number };

function Catalog({ rewards, me, reload }: { rewards: Reward[]; me: MemberView; reload: () => Promise<void> }) {
  const [step, setStep] = useState<Step | null>(null);
  const open = (reward: Reward) =>
    setStep({ at: 'confirm', reward, requestId: newRequestId(), busy: false, error: '' });

  const redeem = useCallback(async () => {
    if (step?.at !== 'confirm') return;
    setStep({ ...step, busy: true, error: '' });
    try {
      // The same requestId on a retry: a lost answer never costs the member twice.
      const r = await api('redeem', { rewardId: step.reward.id, requestId: step.requestId });
      setStep({ at: 'done', voucher: r.voucher, balance: r.balance });
    } catch (e) {
      setStep({ ...step, busy: false, error: errorMessage(e) });
    }
  }, [step]);

  if (step?.at === 'done') {
    return (
      <View className="page">
        <Result
          tone={step.voucher.status === 'pending_review' ? 'wait' : 'ok'}
          title={step.voucher.status === 'pending_review' ? '已提交审核' : '兑换成功'}
        >
          <Text className="muted">剩余 {formatPoints(step.balance)}</Text>
        </Result>
        <VoucherCard voucher={step.voucher} />
        <View className="rewards__after">
          <BigButton onClick={() => go('vouchers')}>查看我的券</BigButton>
          <BigButton
            kind="ghost"
            onClick={() => {
              setStep(null);
              void reload();
            }}
          >
            继续兑换
          </BigButton>
        </View>
      </View>
    );
  }

  const confirming = step?.at === 'confirm' ? step : null;
  return (
    <View className="rewards">
      <View className="rewards__balance">
        <Text className="muted">可用积分</Text>
        <Text className="rewards__available">{groupDigits(me.available)}</Text>
      </View>
      <View className="rewards__grid">
        {rewards.map((r) => (
          <RewardTile key={r.id} reward={r} available={me.available} onPick={() => open(r)} />
        ))}
      </View>
      <Sheet open={confirming !== null} busy={confirming?.busy} onClose={() => setStep(null)}>
        {confirming ? (
          <View className="confirm">
            <Text className="confirm__title">确认兑换</Text>
            <Text className="confirm__name">{confirming.reward.name}</Text>
            <View className="confirm__row">
              <Text className="muted">需要</Text>
              <Text className="confirm__cost">{formatPoints(confirming.reward.pointsCost)}</Text>
            </View>
            <View className="confirm__row">
              <Text className="muted">兑换后剩余</Text>
              <Text>{formatPoints(me.available - confirming.reward.pointsCost)}</Text>
            </View>
            {confirming.error ? <Text className="field-error">{confirming.error}</Text> : null}
            <BigButton busy={confirming.busy} onClick={() => void redeem()}>
              立即兑换
            </BigButton>
          </View>
        ) : null}
      </Sheet>
    </View>
  );
}

function RewardTile({ reward, available, onPick }: { reward: Reward; available: number; onPick: () => void }) {
  const soldOut = reward.stock !== null && reward.stock <= 0;
  const short = reward.pointsCost - available;
  const offer = rewardOffer(reward);
  return (
    <View className={`tile ${soldOut ? 'tile--off' : ''}`} onClick={() => (soldOut ? undefined : onPick())}>
      {reward.spec.imageUrl ? (
        <Image className="tile__image" src={reward.spec.imageUrl} mode="aspectFill" />
      ) : (
        <Text className={`tile__image tile__image--${reward.kind}`}>{rewardGlyph(reward)}</Text>
      )}
      <View className="tile__body">
        <Text className="tile__name">{reward.name}</Text>
        {offer ? <Text className="tile__offer">{offer}</Text> : null}
        <Text className="tile__cost">{formatPoints(reward.pointsCost)}</Text>
        <Text className="muted">
          {soldOut ? '已兑完' : short > 0 ? `还差 ${groupDigits(short)} 积分` : stockText(reward.stock)}
        </Text>
      </View>
    </View>
  );
}
