// One cold start of one function bundle, in this fresh `node` process:
// require() of its index.js, then the first call (which opens the store),
// then a second call (warm). Spec in JIFEN_BENCH_SPEC: { file, event, env }.
// Prints one JSON line. CommonJS on purpose: it is what CloudBase runs.
'use strict';
const spec = JSON.parse(process.env.JIFEN_BENCH_SPEC);
Object.assign(process.env, spec.env);
const ok = (r) =>
  r && (r.ok === true || (r.statusCode >= 200 && r.statusCode < 300)) ? 'ok' : JSON.stringify(r).slice(0, 200);
(async () => {
  const t0 = performance.now();
  const { main } = require(spec.file);
  const t1 = performance.now();
  const first = await main(spec.event, {});
  const t2 = performance.now();
  const second = await main(spec.second ?? spec.event, {});
  const t3 = performance.now();
  console.log(
    JSON.stringify({
      requireMs: t1 - t0,
      firstCallMs: t2 - t1,
      warmCallMs: t3 - t2,
      first: ok(first),
      second: ok(second),
    }),
  );
  process.exit(0);
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack ? e.stack : e) }));
  process.exit(1);
});
