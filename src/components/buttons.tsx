import { Button } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import './buttons.scss';

interface Props {
  onClick: () => void;
  disabled?: boolean;
  /** Shows the label with a spinner-like ellipsis and blocks double taps. */
  busy?: boolean;
  kind?: 'primary' | 'ghost';
  openType?: 'getPhoneNumber';
  onGetPhoneNumber?: (e: { detail: { code?: string; errMsg?: string } }) => void;
}

/** The one big button of the app: 88px tall (44pt), full width, never double-fires while busy. */
export function BigButton({ onClick, disabled, busy, kind = 'primary', children, ...rest }: PropsWithChildren<Props>) {
  return (
    // The dimmed look comes from a class: Taro H5 writes disabled="false" too, so [disabled] cannot tell.
    <Button
      className={`big-button big-button--${kind} ${disabled || busy ? 'big-button--off' : ''}`}
      // undefined, not false: Taro H5 would write disabled="false" and grey the label.
      disabled={disabled || busy || undefined}
      onClick={() => (busy || disabled ? undefined : onClick())}
      {...rest}
    >
      {busy ? '请稍候…' : children}
    </Button>
  );
}
