/**
 * After a payment or a claim: ask the member to allow the WeChat messages
 * (到账通知). WeChat only lets a tap open the dialog, and each accepted
 * template is good for one message, so we offer it right where the member
 * just saw points arrive. Hidden when the merchant configured no templates.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Subscriptions } from '../api/types';
import { BigButton } from './buttons';

export function SubscribePrompt() {
  const [subs, setSubs] = useState<Subscriptions | null>(null);
  const [state, setState] = useState<'idle' | 'asking' | 'done'>('idle');

  useEffect(() => {
    api('subscriptions', {}).then(setSubs, () => setSubs(null));
  }, []);
  if (!subs || subs.templates.length === 0) return null;

  const ask = async () => {
    setState('asking');
    const tmplIds = subs.templates.map((t) => t.templateId).slice(0, 3);
    try {
      const res = (await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] })) as Record<string, string>;
      const accepted = tmplIds.filter((id) => res[id] === 'accept');
      if (accepted.length > 0) setSubs(await api('reportSubscriptions', { accepted }));
      setState('done');
    } catch {
      setState('idle');
      void Taro.showToast({ title: '请在微信中打开以开启通知', icon: 'none' });
    }
  };

  return (
    <View className="card subscribe">
      <Text className="subscribe__title">开启积分到账通知</Text>
      <Text className="subscribe__hint">
        {state === 'done' ? '已开启，下次积分变动会通知你' : '每次消费后，积分到账第一时间告诉你'}
      </Text>
      {state === 'done' ? null : (
        <BigButton kind="ghost" busy={state === 'asking'} onClick={() => void ask()}>
          开启通知
        </BigButton>
      )}
    </View>
  );
}
