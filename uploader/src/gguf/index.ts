export { synthModel, type SynthOptions, type SynthResult } from "./synth.js";
export { PRESETS, findPreset, parameterCount, type ModelShape, type Preset } from "./presets.js";
export { WEIGHT_TYPES, type WeightType } from "./format.js";
export { writeGguf, type GgufTensor, type GgufValue } from "./writer.js";
