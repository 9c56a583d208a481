/**
 * Which llama.cpp binaries ran: the CPU variant from the process's memory map
 * (fixture maps in /proc's format, and this process after loading the real
 * prebuilt), the commit from the ELF symbol llama.cpp's build stamps into the
 * real release libraries installed with node-llama-cpp (x86-64 here, the Arm
 * ones too where npm installed them).
 */
import fs from "node:fs";
import path from "node:path";
import { Runtime } from "@edgebench/contract";
import { getLlama } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { binariesRecord, describeLlama } from "../../../uploader/src/detect/llama.js";
import { describeLibraries, elfStringSymbol, elfSymbol, librariesFromMaps, loadedLlamaBuild } from "../../../uploader/src/detect/llama-build.js";
import { REPO_ROOT } from "../helpers/models.js";

const PREBUILT = path.join(REPO_ROOT, "node_modules", "@node-llama-cpp");

/** Every libllama-common.so the installed prebuilt packages hold. */
function commonLibraries(): string[] {
  const out: string[] = [];
  for (const pkg of fs.existsSync(PREBUILT) ? fs.readdirSync(PREBUILT) : []) {
    const bins = path.join(PREBUILT, pkg, "bins");
    if (!fs.existsSync(bins)) continue;
    for (const dir of fs.readdirSync(bins)) {
      const lib = path.join(bins, dir, "libllama-common.so");
      if (fs.existsSync(lib)) out.push(lib);
    }
  }
  return out;
}

// A Jetson's CUDA prebuilt, as /proc/<pid>/maps lists it (one mapping per segment; a path with a space).
const JETSON_MAPS = `aaaac6e10000-aaaac6e12000 r-xp 00000000 b3:02 1048603                    /usr/bin/node
ffff8a200000-ffff8a3c0000 r-xp 00000000 b3:02 2883610                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libllama.so
ffff8a3c0000-ffff8a3d0000 r--p 001c0000 b3:02 2883610                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libllama.so
ffff8b000000-ffff8b100000 r-xp 00000000 b3:02 2883611                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libggml-base.so
ffff8c000000-ffff8c200000 r-xp 00000000 b3:02 2883612                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libggml-cpu-armv8.2_2.so
ffff8d000000-ffff9d000000 r-xp 00000000 b3:02 2883613                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libggml-cuda.so
ffff9e000000-ffff9e100000 r-xp 00000000 b3:02 2883614                    /home/pi/my tools/node_modules/@node-llama-cpp/linux-arm64-cuda/bins/linux-arm64-cuda/libllama-common.so
ffff9f000000-ffff9f010000 r-xp 00000000 b3:02 2883615                    /usr/lib/aarch64-linux-gnu/libcuda.so.1
ffffa0000000-ffffa0021000 rw-p 00000000 00:00 0 
ffffa1000000-ffffa1021000 r--p 00000000 b3:02 2883620                    /usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.30
`;

describe("the llama.cpp binaries a result records", () => {
  it("reads the loaded libraries, the backends and the CPU variant from a memory map", () => {
    const libs = librariesFromMaps(JETSON_MAPS);
    expect(libs.map((l) => path.basename(l))).toEqual([
      "libllama.so",
      "libggml-base.so",
      "libggml-cpu-armv8.2_2.so",
      "libggml-cuda.so",
      "libllama-common.so",
    ]);
    expect(libs[0]).toContain("/home/pi/my tools/");
    const facts = describeLibraries(libs);
    expect(facts.backendLibraries).toEqual(["ggml-cpu-armv8.2_2", "ggml-cuda"]);
    expect(facts.cpuVariant).toBe("armv8.2_2");
    // A build with one CPU backend (a local build, macOS) has no variant to name.
    expect(describeLibraries(["/x/libggml-cpu.so", "/x/libggml-metal.dylib"])).toMatchObject({
      backendLibraries: ["ggml-cpu", "ggml-metal"],
      cpuVariant: undefined,
    });
    expect(loadedLlamaBuild(path.join(REPO_ROOT, "no-such-maps-file"))).toEqual({ libraries: [], backendLibraries: [] });
  });

  it("reads LLAMA_COMMIT from every installed release library, 64- and 32-bit, in place or from its relocation", () => {
    const libs = commonLibraries();
    expect(libs.some((l) => l.includes(`${path.sep}linux-x64${path.sep}`))).toBe(true);
    const commits = new Set<string>();
    for (const lib of libs) {
      const file = fs.readFileSync(lib);
      const commit = elfStringSymbol(file, "LLAMA_COMMIT");
      expect(commit, lib).toMatch(/^[0-9a-f]{7,40}$/);
      commits.add(commit!);
      expect(elfStringSymbol(file, "LLAMA_BUILD_TARGET"), lib).toMatch(/^Linux /);
      expect(elfStringSymbol(file, "no_such_symbol_here")).toBeUndefined();
      // A linker that leaves the pointer's place zero (the address only in the RELA addend) reads the same.
      const place = elfSymbol(file, "LLAMA_COMMIT")!;
      if (file[4] === 2) {
        const zeroed = Buffer.from(file);
        zeroed.fill(0, place.fileOffset, place.fileOffset + 8);
        expect(elfStringSymbol(zeroed, "LLAMA_COMMIT")).toBe(commit);
      }
    }
    // Every package of one node-llama-cpp release is built from one commit.
    expect(commits.size).toBe(1);
    expect(elfStringSymbol(Buffer.from("not an ELF file at all, but long enough to be read as a header by mistake"), "LLAMA_COMMIT")).toBeUndefined();
  });

  it("records what this process loaded: the prebuilt's CPU variant and commit, valid under the contract", async () => {
    const llama = await getLlama({ gpu: false, build: "never" });
    try {
      const info = await describeLlama(llama);
      const record = binariesRecord(info);
      expect(Runtime.shape.llamaCpp.parse(record)).toEqual(record);
      if (process.platform === "linux") {
        expect(record.backendLibraries?.some((l) => l.startsWith("ggml-cpu"))).toBe(true);
        expect(record.commit).toMatch(/^[0-9a-f]{7,40}$/);
        if (info.buildType === "prebuilt" && process.arch === "x64") {
          const variants = fs
            .readdirSync(path.dirname(info.binaries.libraries.find((l) => l.includes("libggml-base"))!))
            .flatMap((f) => /^libggml-cpu-(.+)\.so$/.exec(f)?.[1] ?? []);
          expect(variants).toContain(record.cpuVariant);
        }
      }
      expect(record.systemInfo).toMatch(/CPU :/);
    } finally {
      await llama.dispose();
    }
  });
});
