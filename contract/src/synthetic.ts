/**
 * Test data the uploader itself makes: every model it writes carries
 * SYNTHETIC_NAME_PREFIX in GGUF general.name (`edgebench synth-model` names
 * it "edgebench synthetic <preset>", the tests' tiny models "edgebench tiny
 * <type>"): random weights, real timings. The uploader refuses to send them
 * unless asked (`--submit-synthetic`); the registry stores them but leaves
 * them out of its public rankings unless asked (`test=1`).
 */
import type { ModelIdentity } from "./schema.js";

export const SYNTHETIC_NAME_PREFIX = "edgebench ";

/** Whether a model is one the uploader generated (see SYNTHETIC_NAME_PREFIX; case-sensitive, as the uploader writes it). */
export function isSyntheticModel(model: Pick<ModelIdentity, "name">): boolean {
  return model.name.startsWith(SYNTHETIC_NAME_PREFIX);
}
