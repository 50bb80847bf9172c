/**
 * Pay with points: pick how many points to offer, show a live code (barcode
 * + QR) the cashier scans, and follow it until the till captures it. The
 * points are held (not spent) while the code lives; leaving releases nothing
 * by itself — the hold expires on its own within two minutes.
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { MemberView, PayCode } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { DataImage } from '../../components/data-image';
import { Empty, Failure, Loading } from '../../components/status-view';
import { SubscribePrompt } from '../../components/subscribe-prompt';
import { Result } from '../../components/result';
import { formatPoints, groupDigits, mmss, spacedCode } from '../../lib/format';
import { useCountdown } from '../../lib/use-countdown';
import { useInterval } from '../../lib/use-interval';
import { useAction } from '../../lib/use-action';
import { useBrightScreen } from '../../lib/use-bright-screen';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const PRESETS = [100, 500, 1000, 2000];
const POLL_MS = 2000;
/** Rotate the code shortly before it dies, so a slow cashier never scans a dead one. */
const ROTATE_AT_SECONDS = 10;

type Stage =
  | { at: 'pick' }
  | { at: 'code'; code: PayCode; balanceBefore: number }
  | { at: 'done'; used: number; balance: number }
  | { at: 'closed'; why: string };

const loadMe = () => api('me', {});

export default function Pay() {
  const [me, reload] = useRemote(loadMe);
  const [stage, setStage] = useState<Stage>({ at: 'pick' });
  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  if (stage.at === 'code') return <LiveCode stage={stage} onEnd={setStage} />;
  if (stage.at === 'done') return <Paid used={stage.used} balance={stage.balance} />;
  if (stage.at === 'closed')
    return (
      <View className="page">
        <Result tone="fail" title={stage.why}>
          <BigButton
            onClick={() => {
              setStage({ at: 'pick' });
              void reload();
            }}
          >
            重新生成付款码
          </BigButton>
        </Result>
      </View>
    );
  return <Picker member={me.data} onCode={(code) => setStage({ at: 'code', code, balanceBefore: me.data.balance })} />;
}

function Picker({ member, onCode }: { member: MemberView; onCode: (c: PayCode) => void }) {
  const [choice, setChoice] = useState<number | 'all'>('all');
  const [custom, setCustom] = useState('');
  const {
    run: request,
    busy,
    error,
  } = useAction(async (points: number | null) => onCode(await api('createPayCode', { points })));
  if (member.available <= 0) return <Empty title="暂无可用积分" hint="消费累积积分后，可在收银台直接抵扣现金" />;

  const customPoints = /^\d{1,9}$/.test(custom) ? Number(custom) : null;
  const points = custom ? customPoints : choice === 'all' ? member.available : choice;
  const invalid = points === null || points <= 0 || points > member.available;

  // null = "all available", decided by the server at the moment it holds them.
  const create = () => request(custom || choice !== 'all' ? points : null);

  return (
    <View className="page pay">
      <View className="card">
        <Text className="muted">可用积分</Text>
        <Text className="pay__available">{formatPoints(member.available)}</Text>
      </View>
      <View className="card">
        <Text className="card__title">本次最多使用</Text>
        <View className="chips">
          <Text
            className={`chip ${!custom && choice === 'all' ? 'chip--on' : ''}`}
            onClick={() => (setCustom(''), setChoice('all'))}
          >
            全部可用
          </Text>
          {PRESETS.filter((p) => p < member.available).map((p) => (
            <Text
              key={p}
              className={`chip ${!custom && choice === p ? 'chip--on' : ''}`}
              onClick={() => (setCustom(''), setChoice(p))}
            >
              {groupDigits(p)}
            </Text>
          ))}
        </View>
        <Input
          className="field"
          type="number"
          placeholder="自定义积分数"
          value={custom}
          onInput={(e) => setCustom(e.detail.value)}
        />
        <Text className="muted">收银员扫码时按账单金额扣除，最多扣到这个数，多余的自动退回。</Text>
        {custom && invalid ? (
          <Text className="field-error">请输入 1 到 {groupDigits(member.available)} 之间的积分</Text>
        ) : null}
        {error ? <Text className="field-error">{error}</Text> : null}
      </View>
      <View className="pay__go">
        <BigButton disabled={invalid} busy={busy} onClick={() => void create()}>
          生成付款码
        </BigButton>
      </View>
    </View>
  );
}

function LiveCode({ stage, onEnd }: { stage: Extract<Stage, { at: 'code' }>; onEnd: (s: Stage) => void }) {
  const [code, setCode] = useState(stage.code);
  const [refreshing, setRefreshing] = useState(false);
  const seconds = useCountdown(code.expiresAt);
  const ended = useRef(false);
  useBrightScreen();

  const end = useCallback(
    (s: Stage) => {
      if (ended.current) return;
      ended.current = true;
      onEnd(s);
    },
    [onEnd],
  );

  const refresh = useCallback(async () => {
    if (refreshing || ended.current) return;
    setRefreshing(true);
    try {
      setCode(await api('refreshPayCode', { holdId: code.holdId }));
    } catch (e) {
      end({ at: 'closed', why: errorMessage(e) });
    } finally {
      setRefreshing(false);
    }
  }, [code.holdId, end, refreshing]);

  useInterval(() => {
    void (async () => {
      try {
        const s = await api('payCodeStatus', { holdId: code.holdId });
        if (s.status === 'captured') {
          const me = await api('me', {});
          end({ at: 'done', used: stage.balanceBefore - me.balance, balance: me.balance });
        } else if (s.status === 'released') end({ at: 'closed', why: '付款码已作废' });
        else if (s.status === 'expired') end({ at: 'closed', why: '付款码已过期' });
      } catch {
        // A missed poll is not a failure: the next one follows in two seconds.
      }
    })();
  }, POLL_MS);

  const rotate = seconds <= ROTATE_AT_SECONDS && seconds > 0;
  useEffect(() => {
    if (rotate) void refresh();
    // Only the moment the code enters its last seconds; refresh() then resets the countdown.
  }, [rotate]);

  return (
    <View className="page pay">
      <View className="paycode">
        <Text className="paycode__title">向收银员出示付款码</Text>
        <DataImage src={code.barcode} width={600} height={160} label="付款条形码" />
        <Text className="paycode__digits">{spacedCode(code.code)}</Text>
        <DataImage src={code.qr} width={360} height={360} label="付款二维码" />
        <Text className="paycode__points">最多抵扣 {formatPoints(code.points)}</Text>
        <View className="paycode__timer">
          <Text className="muted">{refreshing ? '正在刷新…' : `${mmss(seconds)} 后自动刷新`}</Text>
          <Text className="paycode__refresh" onClick={() => void refresh()}>
            刷新
          </Text>
        </View>
      </View>
      <Text className="muted pay__note">付款码仅限本人当面使用，请勿截图发给他人</Text>
    </View>
  );
}

function Paid({ used, balance }: { used: number; balance: number }) {
  return (
    <View className="page pay">
      <Result tone="ok" title="付款成功">
        <Text>本次使用 {formatPoints(used)}</Text>
        <Text className="muted">剩余 {formatPoints(balance)}</Text>
      </Result>
      <SubscribePrompt />
      <View className="pay__go">
        <BigButton
          kind="ghost"
          onClick={() => void Taro.navigateBack().catch(() => Taro.reLaunch({ url: '/pages/index/index' }))}
        >
          完成
        </BigButton>
      </View>
    </View>
  );
}
