/** A payment platform's API refused, failed or answered something we cannot trust: the run that called it fails and retries later. */
export class PlatformError extends Error {
  constructor(
    readonly channel: 'wechatpay' | 'alipay',
    message: string,
  ) {
    super(`${channel}: ${message}`);
    this.name = 'PlatformError';
  }
}

/** How long one outbound call may take before the run gives up on it. */
export const PLATFORM_TIMEOUT_MS = 15_000;
