// Types for bundle-tests.mjs.
export declare function findFiles(dir: string, suffix: string, skipDirs?: string[]): string[];
export declare function bundleTests(options: { entryPoints: string[]; outbase: string; outdir: string }): Promise<void>;
