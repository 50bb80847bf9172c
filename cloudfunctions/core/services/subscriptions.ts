/**
 * Subscribe-message credits. The app asks WeChat (requestSubscribeMessage)
 * with the template ids it reads here; each template the member accepted
 * grants one message, which the app reports back. One place for the HTTP
 * route and the `member` cloud function.
 */
import { errors } from '../domain/errors.js';
import type { Store } from '../store/port.js';
import type { Templates } from './message-templates.js';
import { recordConsent } from './consents.js';

/** The services both transports already hold; nothing to assemble per call. */
export interface SubscriptionDeps {
  store: Store;
  clock: () => number;
  config: { subscribeTemplates: Templates };
}

const templateList = (t: Templates) => Object.entries(t).map(([topic, x]) => ({ topic, templateId: x.templateId }));

export async function subscriptions(d: SubscriptionDeps, memberId: string) {
  return { templates: templateList(d.config.subscribeTemplates), credits: await d.store.subscribeCredits(memberId) };
}

export async function reportAccepted(d: SubscriptionDeps, memberId: string, accepted: string[]) {
  const known = new Set(templateList(d.config.subscribeTemplates).map((t) => t.templateId));
  const ids = [...new Set(accepted)];
  const unknown = ids.filter((id) => !known.has(id));
  // Refused before anything is written: a made-up id must not buy credits.
  if (unknown.length > 0) throw errors.validation(`Unknown template id: ${unknown.join(', ')}.`);
  const now = d.clock();
  await d.store.transaction(async (tx) => {
    for (const id of ids) await tx.addSubscribeCredits(memberId, id, 1, now);
    if (ids.length > 0) await recordConsent(tx, memberId, 'subscribe', now, ids);
  });
  return subscriptions(d, memberId);
}
