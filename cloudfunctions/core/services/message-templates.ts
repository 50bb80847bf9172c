/**
 * Which subscribe-message template each outbox topic uses, and how its
 * keywords are filled: configuration (JIFEN_SUBSCRIBE_TEMPLATES), e.g.
 *   {"points.earned": {"templateId": "T1", "page": "pages/history/index",
 *     "data": {"number1": "points", "amount2": "paid", "time3": "time", "thing4": "=感谢您的光临"}}}
 * A value is a field of the message (points, balance, paid, refunded, store,
 * time) or, after "=", fixed text. The keyword's type (its letters) decides
 * how the value is fitted to WeChat's limits.
 */
import { z } from 'zod';
import { errors } from '../domain/errors.js';
import { fit } from '../wechat/index.js';

export const SOURCES = ['points', 'balance', 'paid', 'refunded', 'store', 'time'] as const;
export type Source = (typeof SOURCES)[number];

const TemplateSchema = z.object({
  templateId: z.string().min(1).max(128),
  page: z.string().max(256).default('pages/index/index'),
  data: z.record(
    z.string().regex(/^[a-z_]+\d+$/, 'keywords look like thing1, number2, amount3, time4'),
    z.union([z.enum(SOURCES), z.string().startsWith('=')]),
  ),
});
export const TemplatesSchema = z.record(z.string(), TemplateSchema);
export type Templates = z.infer<typeof TemplatesSchema>;
export type Template = z.infer<typeof TemplateSchema>;

export function parseTemplates(json: string | undefined): Templates {
  if (!json) return {};
  const parsed = TemplatesSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`JIFEN_SUBSCRIBE_TEMPLATES: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export type Values = Partial<Record<Source, number | string>>;

/** The template's data with every value fitted to its keyword type. */
export function fillTemplate(template: Template, values: Values, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [keyword, source] of Object.entries(template.data)) {
    const raw = source.startsWith('=') ? source.slice(1) : values[source as Source];
    if (raw === undefined) throw errors.validation(`No value for ${keyword} (${source}).`);
    const type = keyword.replace(/\d+$/, '');
    out[keyword] =
      type === 'thing'
        ? fit.thing(String(raw))
        : type === 'number'
          ? fit.number(raw)
          : type === 'amount'
            ? fit.amount(Number(raw))
            : type === 'time' || type === 'date'
              ? fit.time(Number(raw), timeZone)
              : type === 'phrase'
                ? fit.phrase(String(raw))
                : fit.characterString(String(raw));
  }
  return out;
}
