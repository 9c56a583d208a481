/** The uploader's own name and version, recorded in every result document. */
import pkg from "../package.json" with { type: "json" };

export const UPLOADER_NAME = "edgebench";
export const UPLOADER_VERSION: string = pkg.version;
