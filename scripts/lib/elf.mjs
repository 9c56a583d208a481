// What a native binary is built for, read from its own header: ELF's e_machine
// and program interpreter (System V gABI, "ELF Header" and "Program Header"),
// Mach-O's cputype (<mach-o/loader.h>, <mach-o/fat.h>). The release build
// uses it to refuse an archive holding a binary for another machine, and to
// state the oldest glibc/libstdc++ the archive runs on; the tests use it to
// check an arm64 archive that this x86-64 machine cannot run.
import { open, readdir, readFile } from "node:fs/promises";
import path from "node:path";

const ELF_MACHINES = { 3: "x86", 40: "arm", 62: "x86_64", 183: "aarch64" };
const MACHO_CPUS = { 16777223: "x86_64", 16777228: "arm64" };
const PT_INTERP = 3;

/**
 * The header facts of one binary, or null when the bytes are neither ELF nor
 * Mach-O. `buf` must hold at least the headers (the whole file is simplest).
 */
export function binaryHeader(buf) {
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) return elfHeader(buf);
  if (buf.length >= 8 && buf.readUInt32LE(0) === 0xfeedfacf) {
    return { format: "mach-o", machine: MACHO_CPUS[buf.readUInt32LE(4)] ?? `cputype ${buf.readUInt32LE(4)}` };
  }
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xcafebabe) {
    const count = buf.readUInt32BE(4);
    // Java class files share the magic; a universal binary lists a handful of architectures.
    if (count === 0 || count > 8 || buf.length < 8 + 20 * count) return null;
    const machines = [];
    for (let i = 0; i < count; i++) machines.push(MACHO_CPUS[buf.readUInt32BE(8 + 20 * i)] ?? `cputype ${buf.readUInt32BE(8 + 20 * i)}`);
    return { format: "mach-o", machine: machines.join("+") };
  }
  return null;
}

function elfHeader(buf) {
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o) => Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const eMachine = u16(18);
  const header = { format: "elf", bits: is64 ? 64 : 32, machine: ELF_MACHINES[eMachine] ?? `e_machine ${eMachine}` };
  // The program interpreter: glibc's ld-linux-*.so names a glibc build; Android's
  // binaries name /system/bin/linker64, musl's /lib/ld-musl-*.
  const phoff = is64 ? u64(32) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > buf.length) break;
    if (u32(ph) !== PT_INTERP) continue;
    const offset = is64 ? u64(ph + 8) : u32(ph + 4);
    const size = is64 ? u64(ph + 32) : u32(ph + 16);
    if (offset + size <= buf.length)
      header.interp = buf
        .subarray(offset, offset + size)
        .toString("latin1")
        .replace(/\0+$/, "");
  }
  return header;
}

/** Compares dotted versions numerically ("2.34" > "2.4"). */
export function compareVersions(a, b) {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

/**
 * The newest glibc and libstdc++ symbol versions an ELF file asks for (the
 * GLIBC_x.y and GLIBCXX_3.4.z names in its version-needed strings): the oldest
 * C library and C++ runtime it loads on. Undefined where it asks for none.
 */
export function symbolVersionsNeeded(buf) {
  const text = buf.toString("latin1");
  const newest = (re) => {
    let best;
    for (const m of text.matchAll(re)) if (!best || compareVersions(m[1], best) > 0) best = m[1];
    return best;
  };
  return { glibc: newest(/(?<=\0)GLIBC_(\d+\.\d+(?:\.\d+)?)(?=\0)/g), glibcxx: newest(/(?<=\0)GLIBCXX_(\d+\.\d+(?:\.\d+)?)(?=\0)/g) };
}

async function startsLikeBinary(file) {
  const fh = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    return [0x7f454c46, 0xcafebabe].includes(head.readUInt32BE(0)) || head.readUInt32LE(0) === 0xfeedfacf;
  } finally {
    await fh.close();
  }
}

/**
 * Every native binary under dir (executables, .node addons, shared libraries),
 * each with its header facts and the glibc/libstdc++ versions it needs; paths
 * relative to dir with forward slashes, sorted.
 */
export async function nativeBinaries(dir) {
  const found = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath ?? e.path, e.name);
    if (!(await startsLikeBinary(file))) continue;
    const buf = await readFile(file);
    const header = binaryHeader(buf);
    if (!header) continue;
    found.push({
      file: path.relative(dir, file).split(path.sep).join("/"),
      ...header,
      ...(header.format === "elf" ? symbolVersionsNeeded(buf) : {}),
    });
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : 1));
}
