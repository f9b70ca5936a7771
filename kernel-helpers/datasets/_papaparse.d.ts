/**
 * The part of papaparse's API the CSV reader uses (papaparse ships no types of its own).
 *
 * @module
 */
declare module "papaparse" {
  /** One parse problem papaparse reports. */
  interface ParseError {
    type: string;
    code: string;
    message: string;
    row?: number;
  }
  /** What `step` receives for each record. */
  interface StepResult {
    data: string[];
    errors: ParseError[];
    meta: { cursor: number };
  }
  /** The options used here. */
  interface ParseConfig {
    delimiter: string;
    newline: string;
    quoteChar: string;
    skipEmptyLines: boolean;
    step: (result: StepResult) => void;
  }
  /** Parses a string synchronously, calling `step` once per record. */
  function parse(input: string, config: ParseConfig): void;
}
