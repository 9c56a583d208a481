/** `edgebench synth-model`: write a GGUF with random weights (test model or a real model's shape). */
import path from "node:path";
import { Command, Option } from "commander";
import { findPreset, PRESETS, synthModel, WEIGHT_TYPES, type WeightType } from "../../gguf/index.js";

export interface SynthModelOptions {
  preset: string;
  out?: string;
  type: WeightType;
  list?: boolean;
}

export function synthModelAction(opts: SynthModelOptions): string {
  if (opts.list) return `${PRESETS.map((p) => `${p.id.padEnd(14)} ${p.description}`).join("\n")}\n`;
  if (!opts.out) throw new Error("synth-model needs --out FILE");
  const preset = findPreset(opts.preset);
  const out = path.resolve(opts.out);
  const r = synthModel(out, { shape: preset.shape, type: opts.type, name: `edgebench synthetic ${preset.id}` });
  return `${out}\n  preset ${preset.id}, ${opts.type.toUpperCase()}, ${r.parameters.toLocaleString("en")} parameters, ${(r.bytes / 1e6).toFixed(2)} MB\n  random weights: garbage text, honest timings for this shape\n  \`edgebench run\` keeps its results off registries unless given --submit-synthetic\n`;
}

export function synthModelCommand(): Command {
  return new Command("synth-model")
    .description("write a llama-architecture GGUF with random weights: check the harness before downloading anything")
    .option("--preset <id>", `model shape: ${PRESETS.map((p) => p.id).join(", ")}`, "tiny")
    .option("-o, --out <file>", "where to write the .gguf")
    .addOption(new Option("--type <type>", "weight type").choices(WEIGHT_TYPES).default("q8_0"))
    .option("--list", "list the presets")
    .action((opts: SynthModelOptions) => {
      process.stdout.write(synthModelAction(opts));
    });
}
