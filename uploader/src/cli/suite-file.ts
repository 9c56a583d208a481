/**
 * Loading the suite a command names, with an error a user can act on in one
 * line: the file's path, then the field and what is wrong with it (a zod issue
 * path such as tests.2.nGen), or where its JSON stops being JSON.
 */
import path from "node:path";
import { loadSuite, type Suite, suiteDir } from "../suite/index.js";

interface ZodLikeError {
  issues: Array<{ path: PropertyKey[]; message: string }>;
}

function isZodError(err: unknown): err is Error & ZodLikeError {
  return err instanceof Error && err.name === "ZodError" && Array.isArray((err as unknown as ZodLikeError).issues);
}

/** The file loadSuite reads for a name or path (a name is a file in the packaged suite directory). */
function suiteFile(nameOrPath: string): string {
  if (nameOrPath.endsWith(".json")) return path.resolve(nameOrPath);
  try {
    return path.join(suiteDir(), `${nameOrPath}.json`);
  } catch {
    return nameOrPath;
  }
}

export function loadSuiteOrExplain(nameOrPath: string): Suite {
  try {
    return loadSuite(nameOrPath);
  } catch (err) {
    const file = suiteFile(nameOrPath);
    const errno = err as NodeJS.ErrnoException;
    if (errno.code === "ENOENT") {
      const missing = errno.path ? path.resolve(errno.path) : file;
      throw new Error(missing === file ? `suite file ${file} not found` : `suite file ${file} names ${missing}, which is not there`);
    }
    if (isZodError(err)) {
      const first = err.issues[0]!;
      const field = first.path.map(String).join(".") || "(the whole file)";
      const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : "";
      throw new Error(`suite file ${file}: field ${field}: ${first.message}${more}`);
    }
    if (err instanceof SyntaxError) throw new Error(`suite file ${file} is not valid JSON: ${err.message}`);
    throw new Error(`suite file ${file}: ${(err as Error).message}`);
  }
}
