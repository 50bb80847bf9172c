/** Correctness facts a benchmark run records next to its numbers; printed, never thrown. */

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export class Checks {
  readonly list: Check[] = [];

  add(name: string, ok: boolean, detail: string): void {
    this.list.push({ name, ok, detail });
  }

  get allOk(): boolean {
    return this.list.every((c) => c.ok);
  }

  format(): string {
    return this.list.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`).join('\n');
  }
}
