import { setFlagsFromString } from 'node:v8';

/**
 * Memory for small servers (bench/startup.ts and bench/memory.ts measure it). Prisma's
 * query compiler is WebAssembly: V8 would compile its hot functions again with its
 * optimising tier, which costs some 10 MiB kept for good, while query plans are cached
 * anyway. A small young generation keeps a few MiB more off. Call before the first query.
 */
export function useLeanV8Settings(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--max-semi-space-size=1');
}
