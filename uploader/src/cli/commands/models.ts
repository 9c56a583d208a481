/** `edgebench models`: the suite's standard models and the GGUFs already in the models directory. */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { nodeLlamaCpp } from "../../detect/llama.js";
import { quantisationName } from "../../runner/model-file.js";
import { resolveModel } from "../../runner/resolve.js";
import { DEFAULT_SUITE } from "../../suite/index.js";
import { loadSuiteOrExplain } from "../suite-file.js";

export interface ModelsOptions {
  suite: string;
  json?: boolean;
}

export interface ModelListing {
  id?: string;
  name: string;
  quantisation: string;
  uri?: string;
  file?: string;
  /** The file's published sha256 the suite pins (a download that differs is refused); absent until a maintainer fills it in. */
  sha256?: string;
  standard: boolean;
}

export async function listModels(opts: ModelsOptions, config: Config): Promise<ModelListing[]> {
  const suite = loadSuiteOrExplain(opts.suite);
  const out: ModelListing[] = [];
  const known = new Set<string>();
  for (const m of suite.models) {
    let file: string | undefined;
    try {
      file = (await resolveModel(m.uri, { modelsDir: config.modelsDir, download: false })).file;
      if (!fs.existsSync(file)) file = undefined;
    } catch {
      file = undefined;
    }
    if (file) known.add(path.resolve(file));
    out.push({ id: m.id, name: m.name, quantisation: m.quantisation, uri: m.uri, file, sha256: m.sha256, standard: true });
  }
  const { readGgufFileInfo } = await nodeLlamaCpp();
  const files = fs.existsSync(config.modelsDir) ? fs.readdirSync(config.modelsDir).filter((f) => f.endsWith(".gguf")) : [];
  for (const f of files.sort()) {
    const file = path.join(config.modelsDir, f);
    if (known.has(path.resolve(file))) continue;
    let quantisation = "unknown";
    let name = f;
    try {
      const info = await readGgufFileInfo(file, {
        readTensorInfo: false,
        logWarnings: false,
        ignoreKeys: ["tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"],
      });
      quantisation = await quantisationName(info.metadata.general?.file_type as number | undefined);
      if (typeof info.metadata.general?.name === "string") name = info.metadata.general.name;
    } catch {
      quantisation = "not a readable GGUF";
    }
    out.push({ name, quantisation, file, standard: false });
  }
  return out;
}

export function modelsCommand(): Command {
  return new Command("models")
    .description("list the suite's standard models (and whether they are downloaded) and other GGUFs in the models directory")
    .option("--suite <name|file>", "suite definition", DEFAULT_SUITE)
    .option("--json", "machine-readable output")
    .action(async (opts: ModelsOptions) => {
      const config = loadConfig();
      const list = await listModels(opts, config);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ modelsDir: config.modelsDir, models: list }, null, 2)}\n`);
        return;
      }
      const lines = [`models directory: ${config.modelsDir}`];
      for (const m of list) {
        lines.push(`${m.standard ? "standard" : "local   "}  ${m.name} (${m.quantisation})`);
        if (m.uri) lines.push(`          ${m.uri}`);
        if (m.standard)
          lines.push(`          ${m.sha256 ? `pinned to sha256 ${m.sha256}` : "not pinned to a sha256 yet (any file at this URI is accepted)"}`);
        lines.push(`          ${m.file ?? "not downloaded: `edgebench run` downloads it on a connected board"}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
