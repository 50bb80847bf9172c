/**
 * The app's transport, replaced for component tests: each test says how every
 * call is answered (a value, an error, or a promise it controls), and reads
 * back the calls the page made.
 */
import {
  ApiError,
  type EndpointName,
  type LiveBalance,
  type RequestOf,
  type ResponseOf,
  type Transport,
} from '../../src/api/endpoints';

type Answer<K extends EndpointName> = (req: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
const answers = new Map<EndpointName, Answer<EndpointName>>();
export const calls: { name: EndpointName; req: unknown }[] = [];

export function answer<K extends EndpointName>(name: K, fn: Answer<K>): void {
  answers.set(name, fn as unknown as Answer<EndpointName>);
}

/** A refusal as the server words it: the code, an English message and the Chinese in details.zh. */
export const refusal = (code: string, status: number, zh?: string) => new ApiError(code, `${code} (test)`, status, zh);

/** A call that stays in flight until the test releases it. */
export function pending<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The open live streams: a test pushes a balance with `push`, as the server would. */
const streams = new Set<(b: LiveBalance) => void>();
export const live = {
  get open() {
    return streams.size;
  },
  push(b: LiveBalance) {
    streams.forEach((s) => s(b));
  },
};

export function resetTransport(): void {
  answers.clear();
  calls.length = 0;
  streams.clear();
}

export const transport: Transport = {
  init: () => undefined,
  async call(name, req) {
    calls.push({ name, req });
    const fn = answers.get(name);
    if (!fn) throw new Error(`the test gave no answer for "${name}"`);
    return (await fn(req as never)) as never;
  },
  live(onBalance) {
    streams.add(onBalance);
    return () => streams.delete(onBalance);
  },
};
