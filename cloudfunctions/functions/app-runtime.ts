/**
 * The HTTP app over the container's services, for the functions that serve
 * routes (notify, staff). Kept apart from runtime.ts so the member and cron
 * bundles do not carry the routes and the Alipay SDK they never use.
 */
import { appFor } from '../core/http/app.js';
import type { App } from '../core/http/context.js';
import { warmServices } from './runtime.js';

const apps = new WeakMap<object, App>();

export async function warmApp(): Promise<App> {
  const services = await warmServices();
  let app = apps.get(services);
  if (!app) apps.set(services, (app = appFor(services)));
  return app;
}
