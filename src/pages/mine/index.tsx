/**
 * 我的: the member's own details (phone, birthday), the referral to share,
 * and the way to every secondary page.
 */
import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { MemberView } from '../../api/types';
import { Failure, Loading } from '../../components/status-view';
import { groupDigits, todayInChina } from '../../lib/format';
import { go } from '../../lib/navigate';
import { referralLink, shareMessage, useReferralCode } from '../../lib/referral';
import { useAction } from '../../lib/use-action';
import { useRemote } from '../../lib/use-remote';
import type { PageName } from '../../routes';
import './index.scss';

const IN_WECHAT = process.env.TARO_ENV === 'weapp';
const loadMe = () => api('me', {});

export default function Mine() {
  const [me, reload] = useRemote(loadMe);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void reload({ quiet: true }); // back from binding a phone
    shown.current = true;
  });
  const code = useReferralCode();
  useShareAppMessage(() => shareMessage(code));

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  const m = me.data;
  const rows: { page: PageName; label: string; value: string }[] = [
    { page: 'tier', label: '会员等级', value: m.tier.name },
    { page: 'earn', label: '如何赚积分', value: '' },
    { page: 'vouchers', label: '我的券', value: '' },
    { page: 'history', label: '积分明细', value: '' },
    { page: 'phone', label: '手机号', value: m.phone ?? '去绑定' },
    { page: 'links', label: '付款账户', value: '支付宝等自动积分' },
    { page: 'privacy', label: '我的数据与隐私', value: '导出、注销' },
  ];
  return (
    <View className="page mine">
      <View className="mine__head">
        <Text className="mine__tier">{m.tier.name}</Text>
        <Text className="mine__sub">
          积分 {groupDigits(m.balance)} · 成长值 {groupDigits(m.tier.growth)}
        </Text>
      </View>

      <View className="card mine__list">
        {rows.map((r) => (
          <View key={r.page} className="mine__row" onClick={() => go(r.page)}>
            <Text>{r.label}</Text>
            <Text className="muted">{r.value} ›</Text>
          </View>
        ))}
        <Birthday member={m} onSaved={() => void reload({ quiet: true })} />
      </View>

      {code ? <Invite code={code} /> : null}

      <View className="card mine__list">
        <View className="mine__row" onClick={() => go('staff')}>
          <Text>店员入口</Text>
          <Text className="muted">收银、核销 ›</Text>
        </View>
      </View>
    </View>
  );
}

/** The birthday, set once: picked, then confirmed, because it cannot be changed afterwards. */
function Birthday({ member, onSaved }: { member: MemberView; onSaved: () => void }) {
  const [picked, setPicked] = useState<string | null>(null);
  const save = useAction(useCallback((birthday: string) => api('setProfile', { birthday }), []));
  if (member.birthday) {
    return (
      <View className="mine__row">
        <Text>生日</Text>
        <Text className="muted">{member.birthday}</Text>
      </View>
    );
  }
  const confirm = async () => {
    const done = picked ? await save.run(picked) : undefined;
    if (!done) return;
    void Taro.showToast({ title: done.points > 0 ? `已保存，获得 ${done.points} 积分` : '已保存', icon: 'none' });
    setPicked(null);
    onSaved();
  };
  return (
    <View className="mine__birthday">
      <Picker
        mode="date"
        value={picked ?? '1990-01-01'}
        start="1920-01-01"
        end={todayInChina()}
        onChange={(e) => setPicked(String(e.detail.value))}
      >
        <View className="mine__row">
          <Text>生日</Text>
          <Text className="muted">{picked ?? '填写生日，生日当天有惊喜'} ›</Text>
        </View>
      </Picker>
      {picked ? (
        <View className="mine__confirm">
          <Text className="muted">生日保存后不能修改</Text>
          <Button className="mine__save" disabled={save.busy || undefined} onClick={() => void confirm()}>
            {save.busy ? '保存中…' : '确认保存'}
          </Button>
        </View>
      ) : null}
      {save.error ? <Text className="field-error">{save.error}</Text> : null}
    </View>
  );
}

/** My referral: the share button in WeChat, a link to copy on H5. */
function Invite({ code }: { code: string }) {
  const copy = () =>
    void Taro.setClipboardData({ data: referralLink(code) }).then(() =>
      Taro.showToast({ title: '邀请链接已复制', icon: 'none' }),
    );
  return (
    <View className="card">
      <Text className="card__title">邀请好友</Text>
      <Text className="muted">好友打开你分享的小程序即成为你邀请的会员</Text>
      {IN_WECHAT ? (
        <Button className="mine__share" openType="share">
          分享给好友
        </Button>
      ) : (
        <Button className="mine__share" onClick={copy}>
          复制邀请链接
        </Button>
      )}
    </View>
  );
}
