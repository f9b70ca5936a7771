import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempCsv(text: string, name = "t.csv"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seqlab-ts-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
