/**
 * One result document written out by hand, with no imports, so tests that pin
 * ids and signatures, and the independent client that must not use the
 * contract module, all sign exactly the same bytes.
 */
export const FIXED_DOCUMENT = {
  schema: "edgebench.result/v1",
  suite: { id: "edgebench-standard", version: "1" },
  uploader: { name: "independent-client", version: "1.0.0" },
  createdAt: "2026-11-20T08:30:00+01:00",
  contributor: { displayName: "Zoë (independent)" },
  origin: { kind: "measured" },
  system: {
    board: { name: "Raspberry Pi 5 Model B Rev 1.0", identifiedBy: "device-tree" },
    cpu: { model: "Cortex-A76", arch: "arm64", cores: 4, threads: 4 },
    memory: { totalBytes: 8589934592 },
    os: { name: "Debian GNU/Linux 12 (bookworm)", kernel: "6.6.51+rpt-rpi-2712" },
    accelerators: [],
  },
  runtime: { name: "llama-bench", version: "b6000", llamaCppBuild: "b6000", backend: "cpu" },
  power: {
    meters: [{ kind: "shelly", scope: "wall", method: "sampled", sampleRateHz: 1, idle: { watts: 3.25, seconds: 30, samples: 30 } }],
  },
  runs: [
    {
      model: { name: "Qwen2.5-0.5B-Instruct", quantisation: "Q4_K_M", sha256: "ab".repeat(32), parameters: 494032768 },
      settings: { threads: 4, gpuLayers: 0, contextSize: 4096, batchSize: 2048, ubatchSize: 512, flashAttention: false },
      status: "ok",
      tests: [
        { name: "pp512", kind: "pp", nPrompt: 512, nGen: 0, depth: 0, status: "ok", samplesNs: [6400000000, 6500000000, 6300000000] },
        {
          name: "tg128",
          kind: "tg",
          nPrompt: 0,
          nGen: 128,
          depth: 0,
          status: "ok",
          samplesNs: [6400000000, 6400000000, 6400000000],
          energy: [{ meter: 0, status: "measured", joulesPerRep: [51.2, 51.2, 51.2] }],
        },
      ],
    },
  ],
} as const;
