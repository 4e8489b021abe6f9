import { setFlagsFromString } from 'node:v8';

/**
 * Memory for small servers (bench/startup.ts and bench/memory.ts measure it). Prisma's
 * query compiler is WebAssembly: V8 would compile its hot functions again with its
 * optimising tier, which costs some 10 MiB kept for good, while query plans are cached
 * anyway. A small young generation keeps a few MiB more off. Call before the first query.
 *
 * While starting, V8 is also told to favour size: loading the modules then leaves some
 * 20 MiB less heap reserved (5–7 MiB less RSS). Once the bot runs, leanV8SettingsAfterStart
 * turns that off again, as it costs a quarter more CPU per update (bench/form-throughput.ts),
 * and lets the young generation grow under load: with 1 MiB it is collected every few
 * updates and short-lived objects reach the old generation (about a tenth more CPU per
 * update). An idle bot does not grow it.
 */
export function useLeanV8Settings(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--max-semi-space-size=1');
  setFlagsFromString('--optimize-for-size');
}

export function leanV8SettingsAfterStart(): void {
  setFlagsFromString('--no-optimize-for-size');
  setFlagsFromString('--max-semi-space-size=16');
}
