/**
 * Live balances for open apps (GET /api/member/events): the accounts of the
 * members who are watching are read together every `intervalMs`, and a
 * watcher hears of every change of its account's version.
 *
 * Why reading, not a hook at commit: the write that moves a balance may
 * commit in another process (a second server on PostgreSQL, a cloud
 * function beside the local server), and a commit hook only sees its own
 * process. One indexed read per watched member per tick is cheap (SQLite
 * reads go to the read connection and never wait behind writes) and a store
 * that fails or restarts only delays the news: the next tick reads again.
 */
import { available } from '../domain/accounts.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/port.js';

export interface LiveBalance {
  balance: number;
  available: number;
  held: number;
}

/** Hears a balance, or null once when the server shuts down and the stream should end. */
type Listener = (b: LiveBalance | null) => void;

interface Watch {
  version: number | null;
  listeners: Set<Listener>;
}

/** A log line about failing reads at most this often. */
const LOG_EVERY_MS = 60_000;

export class LiveBalances {
  private readonly watches = new Map<string, Watch>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastLogged = 0;
  private closed_ = false;

  constructor(
    private readonly deps: {
      store: Store;
      logger: Logger;
      /** 250 ms: a payment shows in an open app well within a second. */
      intervalMs?: number;
      /** Streams one member may hold open (a phone and a tablet, a reconnect overlapping). */
      perMember?: number;
      /** Streams the whole server holds open. */
      total?: number;
    },
  ) {}

  /** Shut down, or never serving streams here (a cloud function cannot hold one open). */
  get closed(): boolean {
    return this.closed_;
  }

  get watching(): number {
    let n = 0;
    for (const w of this.watches.values()) n += w.listeners.size;
    return n;
  }

  /**
   * Starts watching; the listener first hears the balance as it is now, then
   * every change. Returns the way to stop, or null when the member or the
   * server holds too many streams already, or the server is shutting down.
   */
  watch(memberId: string, listener: Listener): (() => void) | null {
    if (this.closed_) return null;
    const w = this.watches.get(memberId) ?? { version: null, listeners: new Set<Listener>() };
    if (w.listeners.size >= (this.deps.perMember ?? 3) || this.watching >= (this.deps.total ?? 2_000)) return null;
    w.listeners.add(listener);
    this.watches.set(memberId, w);
    void this.read(memberId, [listener]);
    this.schedule();
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size === 0 && this.watches.get(memberId) === w) this.watches.delete(memberId);
    };
  }

  /** Shutting down: every stream hears null and ends, so the server's close is not held open by them. */
  close(): void {
    this.closed_ = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const all = [...this.watches.values()].flatMap((w) => [...w.listeners]);
    this.watches.clear();
    for (const l of all) l(null);
  }

  private schedule(): void {
    if (this.closed_ || this.timer || this.watches.size === 0) return;
    this.timer = setTimeout(() => void this.tick(), this.deps.intervalMs ?? 250);
    this.timer.unref?.();
  }

  /** One round over every watched member; the next is scheduled after this one ends, so slow reads never pile up. */
  private async tick(): Promise<void> {
    await Promise.all([...this.watches.keys()].map((id) => this.read(id, null)));
    this.timer = null;
    this.schedule();
  }

  /** Reads one account; tells `only` (a new watcher) at once, or every listener when the version moved. */
  private async read(memberId: string, only: Listener[] | null): Promise<void> {
    try {
      const account = await this.deps.store.getAccount(memberId);
      const w = this.watches.get(memberId);
      if (!account || !w) return;
      const moved = w.version !== null && account.version !== w.version;
      w.version = account.version;
      const targets = only ?? (moved ? [...w.listeners] : []);
      const view = { balance: account.balance, available: available(account), held: account.held };
      for (const l of targets) l(view);
    } catch (e) {
      const now = Date.now();
      if (now - this.lastLogged < LOG_EVERY_MS) return;
      this.lastLogged = now;
      this.deps.logger.warn({ err: (e as Error).message }, 'live balances: a read failed; the next tick reads again');
    }
  }
}
