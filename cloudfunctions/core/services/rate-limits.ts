/**
 * Rate limits (DESIGN "Rate limits"): fixed windows per key, in this
 * process's memory (rate-limiter-flexible). The defaults stop a script, never
 * a busy till or a queue of members logging in; JIFEN_RATE_LIMITS overrides
 * any of them and JIFEN_RATE_LIMIT=off turns them all off (load tests,
 * benchmarks). Payment notifications are never limited: their signature is
 * their credential. With several servers each counts alone, so a client
 * spread over N servers gets up to N times a limit (README, "Rate limits").
 */
import type { RateLimiterMemory as MemoryLimiter } from 'rate-limiter-flexible';
// The package's index loads every backend it supports (Redis, Mongo, Drizzle, ...): about 9 MB of a
// server that only needs the in-memory limiter. These two files are all we use.
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import { DomainError } from '../domain/errors.js';

export const LIMIT_NAMES = [
  /** Unauthenticated API requests (health, docs, login), per address. */
  'address',
  /** Requests refused 401 (a wrong or expired token), per address: past it, the address waits. */
  'authFailure',
  /** Logins, per address: each costs a jscode2session call, and WeChat limits the appid. */
  'login',
  /** Per member. */
  'claim',
  'redeem',
  'payCode',
  'bindPhone',
  /** A member's data export (it reads their whole history), per member. */
  'dataExport',
  /** Till actions (scan, capture, void, verify a voucher, make a claim ticket), per staff token. */
  'till',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export interface LimitRule {
  points: number;
  seconds: number;
}

export const DEFAULT_LIMITS: Record<LimitName, LimitRule> = {
  address: { points: 300, seconds: 60 },
  authFailure: { points: 30, seconds: 60 },
  login: { points: 60, seconds: 60 },
  claim: { points: 20, seconds: 60 },
  redeem: { points: 30, seconds: 60 },
  payCode: { points: 30, seconds: 60 },
  bindPhone: { points: 10, seconds: 60 },
  dataExport: { points: 5, seconds: 60 },
  till: { points: 240, seconds: 60 },
};

export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, 429, { retryAfterSeconds });

export class RateLimits {
  private readonly limiters: Map<LimitName, MemoryLimiter> | null;

  /** `rules` null: every limit off. */
  constructor(rules: Record<LimitName, LimitRule> | null) {
    this.limiters =
      rules &&
      new Map(
        LIMIT_NAMES.map((name) => [
          name,
          new RateLimiterMemory({ points: rules[name].points, duration: rules[name].seconds }),
        ]),
      );
  }

  get enabled(): boolean {
    return this.limiters !== null;
  }

  /** Counts one request against `name` for `key`; throws 429 RATE_LIMITED once the window is used up. */
  async take(name: LimitName, key: string): Promise<void> {
    const limiter = this.limiters?.get(name);
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
  }

  /** Seconds until `key` may try again when its window for `name` is used up; null while it may. */
  async waitOf(name: LimitName, key: string): Promise<number | null> {
    const limiter = this.limiters?.get(name);
    const state = limiter ? await limiter.get(key) : null;
    if (!limiter || !state || state.remainingPoints > 0) return null;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }
}
