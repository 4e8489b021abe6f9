/** Types for scripts/build.mjs, which is plain JavaScript so that it runs before any build. */
export declare const projectRoot: string;
export declare function buildIsStale(): boolean;
export declare function build(): void;
export declare function buildPage(): void;
