/**
 * Keeps an open page's balance live. On H5 the local server pushes every
 * change (Server-Sent Events, see api/transport.h5.ts): a payment shows
 * within about a quarter second of its notification. In the mini-program the
 * member's calls go through the `member` cloud function, which cannot hold a
 * stream open, and a CloudBase realtime watch would need the client to read
 * the ledger's collections directly, which the database rules deny by
 * design. So the mini-program asks every POLL_MS while the page is visible,
 * for POLL_FOR_MS after it was shown: a member paying is looking at the
 * screen; an app left open in the background costs nothing.
 */
import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { LiveBalance } from '../api/endpoints';
import { transport } from '../api/transport';

export const POLL_MS = 3_000;
export const POLL_FOR_MS = 3 * 60_000;

export function useLiveBalance(onBalance: (b: LiveBalance) => void, enabled: boolean): void {
  const latest = useRef(onBalance);
  latest.current = onBalance;
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));

  useEffect(() => {
    if (!enabled || !visible) return undefined;
    if (transport.live) return transport.live((b) => latest.current(b));
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > POLL_FOR_MS) return clearInterval(timer);
      api('me', {})
        .then((m) => latest.current({ balance: m.balance, available: m.available, held: m.held }))
        .catch(() => undefined); // the next round asks again
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [enabled, visible]);
}
