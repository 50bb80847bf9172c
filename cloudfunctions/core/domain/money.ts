/** Money is integer fen everywhere inside; yuan strings from the outside are converted exactly, never through floats. */
import { errors } from './errors.js';

const YUAN = /^(0|[1-9]\d{0,10})(?:\.(\d{1,2}))?$/;

export function yuanToFen(yuan: string): number {
  const m = YUAN.exec(yuan.trim());
  if (!m) throw errors.validation(`"${yuan}" is not an amount in yuan such as 88.00.`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
