// Types for suite-results.mjs.
export interface SuiteCounts {
  passed: number;
  failed: number;
  skipped: number;
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
