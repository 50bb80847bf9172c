/** The bound on notifications worked on at once (http/admission.ts). */
import { describe, expect, it } from 'vitest';
import { Admission } from '../../cloudfunctions/core/http/admission.js';
import { DomainError } from '../../cloudfunctions/core/domain/errors.js';

/** A piece of work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it('runs at most `limit` at once; the rest start in arrival order as slots free', async () => {
    const admission = new Admission(2, 60_000);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const done = gates.map((g, i) =>
      admission.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    expect(admission.load).toEqual({ active: 2, waiting: 3 });
    gates[1]!.open();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!.open();
    gates[4]!.open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('work that fails gives its slot back, and its caller gets the error', async () => {
    const admission = new Admission(1, 60_000);
    const failing = admission.run(async () => {
      await turn();
      throw new Error('boom');
    });
    const after = admission.run(async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    expect(await after).toBe('ran');
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('a wait past maxWaitMs is answered 503 SERVER_BUSY, leaves the queue, and the slot still passes in order', async () => {
    const admission = new Admission(1, 50);
    const first = gate();
    const holding = admission.run(() => first.opened.then(() => 'first'));
    let ran = false;
    const late = admission.run(async () => {
      ran = true;
    });
    await expect(late).rejects.toSatisfy((e) => e instanceof DomainError && e.status === 503);
    await expect(late).rejects.toMatchObject({ code: 'SERVER_BUSY' });
    expect(ran).toBe(false);
    expect(admission.load).toEqual({ active: 1, waiting: 0 });
    const next = admission.run(async () => 'next'); // queued behind the first, in time
    first.open();
    expect(await holding).toBe('first');
    expect(await next).toBe('next');
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('limit 0 bounds nothing', async () => {
    const admission = new Admission(0, 60_000);
    const gates = Array.from({ length: 40 }, gate);
    let running = 0;
    const done = gates.map((g) =>
      admission.run(async () => {
        running++;
        await g.opened;
      }),
    );
    await turn();
    expect(running).toBe(40);
    gates.forEach((g) => g.open());
    await Promise.all(done);
  });
});
