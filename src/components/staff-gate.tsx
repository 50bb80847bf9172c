/**
 * Staff pages are gated: without a staff token on this device they show the
 * sign-in form; with one they show who is signed in, then the page. The
 * server checks the token on every call; this gate is for the person.
 */
import { Input, Text, View } from '@tarojs/components';
import { useCallback, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { forgetStaffToken, saveStaffToken, staffToken } from '../api/staff-session';
import type { StaffView } from '../api/types';
import { useAction } from '../lib/use-action';
import { useRemote } from '../lib/use-remote';
import { BigButton } from './buttons';
import { Failure, Loading } from './status-view';
import './staff-gate.scss';

const ROLE_ZH: Record<StaffView['role'], string> = { hq: '总部', manager: '店长', cashier: '收银员' };

export function StaffGate({ children }: { children: (staff: StaffView) => ReactNode }) {
  const load = useCallback(async () => (staffToken() ? api('staffMe', {}) : null), []);
  const [me, reload] = useRemote(load);
  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error' && staffToken()) return <Failure message={me.message} onRetry={() => void reload()} />;
  if (me.state !== 'ready' || me.data === null) return <StaffSignIn onSignedIn={() => void reload()} />;
  const staff = me.data;
  return (
    <View className="staff">
      <View className="staff__bar">
        <Text>
          {staff.storeName ?? '全部门店'} · {staff.name}（{ROLE_ZH[staff.role]}）
        </Text>
        <Text
          className="staff__signout"
          onClick={() => {
            forgetStaffToken();
            void reload();
          }}
        >
          退出
        </Text>
      </View>
      {children(staff)}
    </View>
  );
}

function StaffSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const {
    run: submit,
    busy,
    error,
  } = useAction(async () => {
    saveStaffToken(token.trim());
    try {
      await api('staffMe', {});
    } catch (e) {
      forgetStaffToken(); // a refused token is not kept
      throw e;
    }
    onSignedIn();
  });
  return (
    <View className="staff staff--signin">
      <Text className="staff__title">店员登录</Text>
      <Text className="staff__hint">输入总部发放的店员口令。口令只保存在本机。</Text>
      <Input
        className="field"
        password
        placeholder="店员口令"
        value={token}
        onInput={(e) => setToken(e.detail.value)}
      />
      {error ? <Text className="field-error">{error}</Text> : null}
      <BigButton disabled={token.trim().length < 8} busy={busy} onClick={() => void submit()}>
        登录
      </BigButton>
    </View>
  );
}
