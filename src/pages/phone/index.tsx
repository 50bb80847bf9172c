/**
 * Bind a phone: in WeChat the getPhoneNumber button hands us a one-time code
 * that the server exchanges for the number (we never see it typed). On H5
 * there is no such button, so the sandbox takes the number itself as the
 * code. Afterwards only the masked number is ever shown.
 */
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../api/client';
import { BigButton } from '../../components/buttons';
import { Failure, Loading } from '../../components/status-view';
import { Result } from '../../components/result';
import { formatPoints } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const IN_WECHAT = process.env.TARO_ENV === 'weapp';
const loadMe = () => api('me', {});

export default function Phone() {
  const [me, reload] = useRemote(loadMe);
  const [bound, setBound] = useState<{ phone: string; merged: number; balance: number } | null>(null);
  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  const phone = bound?.phone ?? me.data.phone;
  if (phone) return <Bound phone={phone} merged={bound?.merged ?? 0} balance={bound?.balance ?? me.data.balance} />;
  return <Bind onBound={setBound} />;
}

function Bound({ phone, merged, balance }: { phone: string; merged: number; balance: number }) {
  return (
    <View className="page">
      <Result tone="ok" title={`已绑定 ${phone}`}>
        {merged > 0 ? <Text>已合并门店会员积分 {formatPoints(merged)}</Text> : null}
        <Text className="muted">当前余额 {formatPoints(balance)}</Text>
      </Result>
    </View>
  );
}

function Bind({ onBound }: { onBound: (r: { phone: string; merged: number; balance: number }) => void }) {
  const [typed, setTyped] = useState('');
  const [denied, setDenied] = useState(false);
  const { run: bind, busy, error } = useAction(async (code: string) => onBound(await api('bindPhone', { code })));

  return (
    <View className="page phone">
      <View className="card">
        <Text className="card__title">绑定手机号</Text>
        <Text className="muted">在门店用手机号登记过的积分会自动合并到这里。号码加密保存，只显示后四位。</Text>
      </View>
      <View className="phone__action">
        {IN_WECHAT ? (
          <BigButton
            busy={busy}
            openType="getPhoneNumber"
            onClick={() => undefined}
            onGetPhoneNumber={(e) => {
              setDenied(!e.detail.code);
              if (e.detail.code) void bind(e.detail.code);
            }}
          >
            微信手机号一键绑定
          </BigButton>
        ) : (
          <>
            <Text className="muted">测试环境：直接输入手机号</Text>
            <Input
              className="field"
              type="number"
              maxlength={11}
              placeholder="手机号"
              value={typed}
              onInput={(e) => setTyped(e.detail.value)}
            />
            <BigButton disabled={!/^1\d{10}$/.test(typed)} busy={busy} onClick={() => void bind(typed)}>
              绑定
            </BigButton>
          </>
        )}
        {denied ? <Text className="field-error">需要授权手机号才能绑定</Text> : null}
        {error ? <Text className="field-error">{error}</Text> : null}
      </View>
    </View>
  );
}
