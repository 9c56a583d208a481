/**
 * Which llama.cpp build node-llama-cpp loaded, so a reader can tell a
 * prebuilt number from a native one: the llama.cpp commit and the CPU
 * variant.
 *
 * node-llama-cpp's prebuilt binaries ship one CPU backend per instruction-set
 * level (libggml-cpu-haswell.so, -skylakex, -zen4, -armv8.2_2, ...) and ggml
 * loads the best one this CPU runs at start-up; a build made on the board with
 * -march=native may use instructions none of those variants has. The library
 * the process mapped is the truth about which variant runs, so on Linux it is
 * read from /proc/self/maps. The commit is the `LLAMA_COMMIT` string that
 * llama.cpp's build stamps into its common library (what `llama-bench` prints
 * as `build: <commit>`), read from the ELF file's symbol table: the binding
 * does not expose it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface LoadedLlamaBuild {
  /** The ggml/llama libraries mapped into this process (paths). */
  libraries: string[];
  /** ggml backend libraries by name, e.g. ["ggml-cpu-haswell", "ggml-cuda"]. */
  backendLibraries: string[];
  /** The CPU variant, e.g. "haswell"; undefined for a build with one CPU backend. */
  cpuVariant?: string;
  /** llama.cpp's LLAMA_COMMIT, e.g. "0ad4a86". */
  commit?: string;
}

const LIB = /(?:^|[/\\])((?:lib)?(?:ggml|llama)[\w.+-]*\.(?:so(?:\.[\d.]+)?|dylib|dll)|llama-addon\.node)$/;

/** Library paths from the text of /proc/<pid>/maps, in first-mapped order, without repeats. */
export function librariesFromMaps(maps: string): string[] {
  const seen = new Set<string>();
  for (const line of maps.split("\n")) {
    // address perms offset dev inode path: the path is the sixth field and may hold spaces.
    const m = /^\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(line);
    if (m && LIB.test(m[1]!)) seen.add(m[1]!);
  }
  return [...seen];
}

/** "libggml-cpu-haswell.so" -> "ggml-cpu-haswell"; "libllama.v0.5.0.so" is not a backend. */
function backendName(file: string): string | undefined {
  const m = /^(?:lib)?(ggml-[\w.+-]+?)\.(?:so(?:\.[\d.]+)?|dylib|dll)$/.exec(path.basename(file));
  return m && m[1] !== "ggml-base" ? m[1] : undefined;
}

export function describeLibraries(libraries: readonly string[]): Omit<LoadedLlamaBuild, "commit"> {
  const backendLibraries = libraries.map(backendName).filter((n): n is string => n !== undefined);
  const cpu = backendLibraries.map((n) => /^ggml-cpu-(.+)$/.exec(n)?.[1]).find((v) => v !== undefined);
  return { libraries: [...libraries], backendLibraries, cpuVariant: cpu };
}

/** What this process has loaded (Linux; elsewhere no libraries are listed and the fields stay unknown). */
export function loadedLlamaBuild(mapsFile = "/proc/self/maps"): LoadedLlamaBuild {
  let maps: string;
  try {
    maps = readFileSync(mapsFile, "utf8");
  } catch {
    return { libraries: [], backendLibraries: [] };
  }
  const facts: LoadedLlamaBuild = describeLibraries(librariesFromMaps(maps));
  // The common library holds the build stamp; older bindings link common into the addon itself.
  const candidates = facts.libraries.filter((l) => /llama-common|llama-addon|common/.test(path.basename(l)));
  for (const file of candidates) {
    try {
      const commit = elfStringSymbol(readFileSync(file), "LLAMA_COMMIT");
      if (commit && /^[0-9a-f]{6,40}$/i.test(commit)) {
        facts.commit = commit;
        break;
      }
    } catch {
      // Unreadable or not ELF: the commit stays unknown.
    }
  }
  return facts;
}

const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_DYNSYM = 11;

interface Section {
  type: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

/** Where a symbol's value lives in an ELF file: its address and the file offset holding it. */
export interface ElfSymbolPlace {
  value: number;
  fileOffset: number;
}

interface ElfView {
  is64: boolean;
  sections: Section[];
  u32(o: number): number;
  word(o: number): number;
  fileOffset(vaddr: number): number | undefined;
  cString(o: number): string | undefined;
}

function elfView(file: Buffer): ElfView | undefined {
  if (file.length < 52 || file.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = file[4] === 2;
  const le = file[5] === 1;
  const u16 = (o: number) => (le ? file.readUInt16LE(o) : file.readUInt16BE(o));
  const u32 = (o: number) => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const word = (o: number) => (is64 ? Number(le ? file.readBigUInt64LE(o) : file.readBigUInt64BE(o)) : u32(o));
  const shoff = is64 ? word(0x28) : u32(0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  if (shoff === 0 || shoff + shnum * shentsize > file.length) return undefined;
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push(
      is64
        ? { type: u32(o + 4), addr: word(o + 16), offset: word(o + 24), size: word(o + 32), link: u32(o + 40), entsize: word(o + 56) }
        : { type: u32(o + 4), addr: u32(o + 12), offset: u32(o + 16), size: u32(o + 20), link: u32(o + 24), entsize: u32(o + 36) },
    );
  }
  return {
    is64,
    sections,
    u32,
    word,
    fileOffset(vaddr) {
      const s = sections.find((x) => x.type !== SHT_NOBITS && x.addr !== 0 && vaddr >= x.addr && vaddr < x.addr + x.size);
      return s ? s.offset + (vaddr - s.addr) : undefined;
    },
    cString(o) {
      const end = file.indexOf(0, o);
      return end < 0 ? undefined : file.toString("latin1", o, Math.min(end, o + 256));
    },
  };
}

/** A symbol of the dynamic or static symbol table, or undefined (not ELF, no such symbol). */
export function elfSymbol(file: Buffer, name: string): ElfSymbolPlace | undefined {
  const elf = elfView(file);
  return elf && findSymbol(elf, name);
}

function findSymbol(elf: ElfView, name: string): ElfSymbolPlace | undefined {
  for (const table of elf.sections.filter((s) => s.type === SHT_DYNSYM || s.type === SHT_SYMTAB)) {
    const strtab = elf.sections[table.link];
    if (!strtab || table.entsize === 0) continue;
    for (let o = table.offset; o + table.entsize <= table.offset + table.size; o += table.entsize) {
      if (elf.cString(strtab.offset + elf.u32(o)) !== name) continue;
      const value = elf.is64 ? elf.word(o + 8) : elf.u32(o + 4);
      const fileOffset = elf.fileOffset(value);
      return fileOffset === undefined ? undefined : { value, fileOffset };
    }
  }
  return undefined;
}

/**
 * The string a `const char *` symbol points to in an ELF shared library
 * (32- or 64-bit, either byte order), or undefined if the file has no such
 * symbol. The pointer is read in place, or from its relocation's addend where
 * the linker left the place zero (RELA).
 */
export function elfStringSymbol(file: Buffer, name: string): string | undefined {
  const elf = elfView(file);
  const place = elf && findSymbol(elf, name);
  if (!elf || !place) return undefined;
  let pointer = elf.word(place.fileOffset);
  if (pointer === 0) {
    const step = elf.is64 ? 24 : 12;
    for (const r of elf.sections.filter((s) => s.type === SHT_RELA)) {
      for (let p = r.offset; p + step <= r.offset + r.size; p += step) {
        if (elf.word(p) === place.value) pointer = elf.is64 ? elf.word(p + 16) : elf.u32(p + 8);
      }
    }
  }
  const target = elf.fileOffset(pointer);
  return target === undefined ? undefined : elf.cString(target);
}
