export { WEIGHT_TYPES, type WeightType } from "./format.js";
export { findPreset, type ModelShape, PRESETS, type Preset, parameterCount } from "./presets.js";
export { type SynthOptions, type SynthResult, synthModel } from "./synth.js";
export { type GgufTensor, type GgufValue, writeGguf } from "./writer.js";
