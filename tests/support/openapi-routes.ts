/** "METHOD /path" for every route in the server's generated /openapi.json, from the real app in sandbox. */
import { testApp } from './test-app.js';

export default async function openapiRoutes(): Promise<string[]> {
  const t = await testApp();
  try {
    const doc = (await (await t.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
  } finally {
    await t.close();
  }
}
