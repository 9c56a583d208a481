/**
 * A contract-valid result document for outbox and submit tests. Its figures
 * are placeholders for plumbing tests only (nothing here is shown as a
 * measurement); `seq` makes each one a distinct submission id.
 */
import { ResultDocument, type ResultDocument as ResultDocumentType } from "@edgebench/contract";

export function sampleDocument(seq = 0): ResultDocumentType {
  return ResultDocument.parse({
    schema: "edgebench.result/v1",
    suite: { id: "standard", version: "1" },
    uploader: { name: "edgebench", version: "0.1.0-test" },
    createdAt: new Date(Date.UTC(2026, 10, 21, 6, 0, seq)).toISOString(),
    origin: { kind: "measured" },
    system: {
      board: { name: "Test Board", identifiedBy: "declared" },
      cpu: { model: "test cpu", arch: "x64", cores: 2, threads: 2 },
      memory: { totalBytes: 4_000_000_000 },
      os: { name: "Debian GNU/Linux 12", kernel: "6.1.0" },
      accelerators: [],
    },
    runtime: { name: "node-llama-cpp", version: "3.22.1", backend: "cpu" },
    power: { meters: [], note: "no meter found: energy not measured" },
    runs: [
      {
        model: { name: "tiny", quantisation: "F32" },
        settings: { threads: 2, gpuLayers: 0, contextSize: 512, batchSize: 512, ubatchSize: 512, flashAttention: false },
        status: "ok",
        tests: [{ name: "tg16", kind: "tg", nPrompt: 0, nGen: 16, depth: 0, status: "ok", samplesNs: [1_000_000 + seq, 1_100_000] }],
      },
    ],
  });
}
