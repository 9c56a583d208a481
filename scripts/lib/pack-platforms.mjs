// The platforms an offline bundle can target, and which of node-llama-cpp's
// prebuilt binary packages each one carries. node-llama-cpp lists every
// platform's prebuilt as an optionalDependency; a bundle holds exactly the one
// (or, for linux-x64 GPU builds, the few) that the board loads, so a Raspberry
// Pi never carries CUDA. The package names mirror node-llama-cpp's own lookup
// (dist/bindings/utils/compileLLamaCpp.js, getPrebuiltBinaryPath).

/** npm's platform filters (--os/--cpu/--libc) and the binaries each platform needs. */
export const PLATFORMS = {
  "linux-arm64": { os: "linux", cpu: "arm64", libc: "glibc", machines: ["aarch64", "arm64"], binaries: ["linux-arm64"], extras: {} },
  "linux-armv7l": { os: "linux", cpu: "arm", libc: "glibc", machines: ["armv7l", "armv8l"], binaries: ["linux-armv7l"], extras: {} },
  "linux-x64": {
    os: "linux",
    cpu: "x64",
    libc: "glibc",
    machines: ["x86_64", "amd64"],
    binaries: ["linux-x64"],
    // Opt-in GPU builds (--with): CUDA needs its -ext companion (the CUDA libraries).
    extras: { cuda: ["linux-x64-cuda", "linux-x64-cuda-ext"], vulkan: ["linux-x64-vulkan"] },
  },
  "mac-arm64": { os: "darwin", cpu: "arm64", libc: undefined, machines: ["arm64"], binaries: ["mac-arm64-metal"], extras: {} },
  "mac-x64": { os: "darwin", cpu: "x64", libc: undefined, machines: ["x86_64"], binaries: ["mac-x64"], extras: {} },
};

/**
 * The @node-llama-cpp/* packages a bundle for `platform` carries, with `withGpu`
 * naming opt-in extras. Throws a message a person can act on for anything unknown.
 */
export function binaryPackages(platform, withGpu = []) {
  const p = PLATFORMS[platform];
  if (!p) throw new Error(`unknown platform "${platform}"; one of: ${Object.keys(PLATFORMS).join(", ")}`);
  const names = [...p.binaries];
  for (const extra of withGpu) {
    const more = p.extras[extra];
    if (!more) {
      const allowed = Object.keys(p.extras);
      throw new Error(
        `--with ${extra} is not available for ${platform}${allowed.length ? ` (available: ${allowed.join(", ")})` : " (it has one build)"}`,
      );
    }
    for (const n of more) if (!names.includes(n)) names.push(n);
  }
  return names.map((n) => `@node-llama-cpp/${n}`);
}
