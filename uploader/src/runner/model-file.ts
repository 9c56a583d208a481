/**
 * Model identity read from the file, never from its name: sha256 of the bytes
 * plus GGUF metadata (architecture, parameter count, file type). Also the
 * up-front checks that turn the common bad inputs (missing file, not a GGUF,
 * truncated download) into one clear sentence before any native code runs.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ModelIdentity } from "@edgebench/contract";
import type { GgufFileInfo } from "node-llama-cpp";
import { nodeLlamaCpp } from "../detect/llama.js";

/** An expected problem with a model file: reported as a failed run without a stack trace. */
export class ModelFileError extends Error {
  override name = "ModelFileError";
}

/** "MOSTLY_Q4_K_M" -> "Q4_K_M", "ALL_F32" -> "F32", as llama.cpp names quantisations. */
export async function quantisationName(fileType: number | undefined): Promise<string> {
  if (fileType === undefined) return "unknown";
  const { GgufFileType } = await nodeLlamaCpp();
  const name = GgufFileType[fileType];
  return name ? name.replace(/^(MOSTLY|ALL)_/, "") : `file type ${fileType}`;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function inspectModel(file: string, source: string): Promise<ModelIdentity> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ModelFileError(`model file not found: ${file}`);
  }
  if (!stat.isFile()) throw new ModelFileError(`not a file: ${file}`);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString("latin1") !== "GGUF") {
    throw new ModelFileError(
      `not a GGUF file: ${file} (starts with ${JSON.stringify(head.toString("latin1").replace(/[^\x20-\x7e]/g, "."))}, a GGUF starts with "GGUF")`,
    );
  }
  const { GgufInsights, readGgufFileInfo } = await nodeLlamaCpp();
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { logWarnings: false, ignoreKeys: ["tokenizer.ggml.merges"] });
  } catch {
    // The parser's own words ("the value of size is out of range ...") describe its buffer, not the file.
    throw new ModelFileError(
      `not a valid GGUF file or truncated: ${file} starts with "GGUF" but its header holds impossible values (a damaged or incomplete download?)`,
    );
  }
  const insights = await GgufInsights.from(info);
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length && info.splicedParts <= 1) {
    // Tensor data starts at the first tensor's offset; padded tensor data is at least modelSize bytes.
    const dataStart = Math.min(...tensors.map((t) => Number(t.fileOffset)));
    const needed = dataStart + insights.modelSize;
    if (stat.size < needed) {
      throw new ModelFileError(`truncated GGUF: ${file} is ${stat.size} bytes, its tensors need at least ${needed} (an interrupted download?)`);
    }
  }
  const general = info.metadata.general;
  return {
    name: (typeof general?.name === "string" && general.name.trim() ? general.name.trim() : path.basename(file, ".gguf")).slice(0, 128),
    fileName: path.basename(file).slice(0, 1024),
    sha256: await sha256File(file),
    sizeBytes: stat.size,
    parameters: insights.totalParameters || undefined,
    quantisation: await quantisationName(general?.file_type as number | undefined),
    arch: general?.architecture ? String(general.architecture).slice(0, 128) : undefined,
    source: source.slice(0, 1024),
  };
}

/** A file the suite pins (sha256 and size as published). */
export interface FilePin {
  uri: string;
  sha256?: string;
  sizeBytes?: number;
}

/**
 * Refuses a file that is not the one the suite pins: "the same model" on the
 * leaderboard means the same bytes, and a mirror, a re-upload or a corrupted
 * download would otherwise be benchmarked under the standard model's name.
 */
export function checkPin(identity: Pick<ModelIdentity, "sha256" | "sizeBytes">, file: string, pin: FilePin | undefined): void {
  if (!pin?.sha256) return;
  if (pin.sizeBytes !== undefined && identity.sizeBytes !== pin.sizeBytes)
    throw new ModelFileError(
      `${file} is ${identity.sizeBytes} bytes, the suite pins ${pin.uri} at ${pin.sizeBytes} bytes: refusing a different file (delete it and download again)`,
    );
  if (identity.sha256 !== pin.sha256)
    throw new ModelFileError(
      `${file} has sha256 ${identity.sha256}, the suite pins ${pin.uri} to ${pin.sha256}: refusing a different file (a damaged download or a changed upstream file; delete it and download again)`,
    );
}
