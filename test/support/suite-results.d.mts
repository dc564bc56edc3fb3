// Types for suite-results.mjs.
export interface SuiteCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Titles of the skipped tests, as the runner printed them. */
  skippedNames: string[];
}
export interface SuiteResult extends SuiteCounts {
  note?: string;
}
export declare function parseMocha(output: string): SuiteCounts | undefined;
export declare function parsePytest(output: string): SuiteCounts | undefined;
export declare function suiteResult(
  parse: (output: string) => SuiteCounts | undefined,
  output: string,
  exitCode: number,
): SuiteResult;
export declare function countSkipsAsFailures(result: SuiteResult): SuiteResult;
