/**
 * The result document: the one contract between the uploader and the registry.
 *
 * Everything here is a zod schema; the TypeScript types are inferred from it
 * (see the bottom of the file) and no hand-written twin exists anywhere else.
 * Objects are strict: a signed document carrying fields this version does not
 * know is refused rather than stored half-understood. Every string, number and
 * array is bounded so a hostile document cannot make the registry store or
 * process unbounded data.
 */
import { z } from "zod";
import { TOKEN_TIME_BUCKETS } from "./token-times.js";

export const RESULT_SCHEMA_ID = "edgebench.result/v1";

/** Limits shared by the schema and by the code that produces documents. */
export const LIMITS = {
  /** Repetitions per test (llama-bench default is 5; allow generous sweeps). */
  maxReps: 100,
  /** Points in a per-test power trace; longer traces are downsampled first. */
  maxTracePoints: 600,
  /** Windows of a sustained test (one per second: an hour). */
  maxWindows: 3600,
  /** Streams of one concurrent test (llama-server --parallel, vLLM batches). */
  maxStreams: 64,
  /** Token times kept per stream or per repetition (a 4,096-token generation). */
  maxTokenTimes: 4096,
  /** Tasks of an accuracy subset (the suite ships 400). */
  maxAccuracyTasks: 2000,
  maxRuns: 64,
  maxTestsPerRun: 32,
  maxAccelerators: 16,
  maxMeters: 8,
  maxRails: 32,
  shortText: 128,
  longText: 1024,
} as const;

const text = (max: number = LIMITS.shortText) => z.string().min(1).max(max);
const nonNeg = z.number().nonnegative();
const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256");

/** Where a power figure comes from; energy is only ranked within one scope. */
export const METER_SCOPES = ["wall", "board-input", "module-input", "soc-rails", "accelerator", "cpu-package", "none"] as const;
export const MeterScope = z.enum(METER_SCOPES);

export const ACCELERATOR_KINDS = ["gpu", "npu", "tpu"] as const;
/** llama.cpp backends node-llama-cpp can load, plus "http" for runtimes driven over HTTP. */
export const BACKENDS = ["cpu", "cuda", "vulkan", "metal", "http"] as const;
export const Backend = z.enum(BACKENDS);

/**
 * llama-bench's pp, tg and pp+tg, time to first token, generation without
 * pause for a fixed time, and several streams served at once (concurrent).
 */
export const TEST_KINDS = ["pp", "tg", "pg", "ttft", "sustained", "concurrent"] as const;
export const TestKind = z.enum(TEST_KINDS);

export const Envelope = z.strictObject({
  widthMm: z.number().positive().max(10_000),
  depthMm: z.number().positive().max(10_000),
  heightMm: z.number().positive().max(10_000),
  /** catalogue: the registry's board catalogue; declared: measured or stated by the submitter. */
  source: z.enum(["catalogue", "declared"]),
  note: text(LIMITS.longText).optional(),
});

export const Accelerator = z.strictObject({
  kind: z.enum(ACCELERATOR_KINDS),
  name: text(),
  memoryBytes: nonNegInt.optional(),
  driver: text().optional(),
  /** How it was found, e.g. "node-llama-cpp", "/dev/hailo0", "sysfs devfreq". */
  detectedBy: text().optional(),
});

/** How the board was cooled, as the contributor declares it. */
export const COOLING = ["passive", "heatsink", "fan", "case"] as const;
export type Cooling = (typeof COOLING)[number];

/** What a result ran under: declared (cooling, room temperature) or read from the system (power source). */
export const Conditions = z.strictObject({
  /** Declared: passive (bare board), heatsink, fan (active cooler), case (an enclosure with its own cooling). */
  cooling: z.enum(COOLING).optional(),
  /** Declared room temperature in °C. */
  ambientC: z.number().min(-40).max(70).optional(),
  /** Read from /sys/class/power_supply: on battery, charging, or a battery held on mains (full). */
  powerSource: z.enum(["battery", "charging", "mains"]).optional(),
  /**
   * NVIDIA Jetson power state: the nvpmodel mode (name and id, from
   * `nvpmodel -q`) and whether jetson_clocks pinned the clocks (every CPU
   * policy's and the GPU's minimum frequency raised to its maximum).
   */
  jetson: z
    .strictObject({
      powerMode: text().optional(),
      powerModeId: nonNegInt.max(1000).optional(),
      clocksLocked: z.boolean().optional(),
    })
    .optional(),
});

export const System = z.strictObject({
  board: z.strictObject({
    name: text(),
    vendor: text().optional(),
    /** How the board was identified; "declared" when the contributor typed it in. */
    identifiedBy: z.enum(["device-tree", "dmi", "rpi-revision", "declared", "unknown"]),
  }),
  soc: z
    .strictObject({
      name: text().optional(),
      compatible: z.array(text()).max(16).optional(),
    })
    .optional(),
  cpu: z.strictObject({
    model: text(),
    arch: text(),
    /** Physical cores (the default thread count). */
    cores: posInt.max(4096),
    /** Logical CPUs. */
    threads: posInt.max(8192),
  }),
  memory: z.strictObject({ totalBytes: posInt }),
  os: z.strictObject({
    name: text(),
    kernel: text(),
    /** e.g. "L4T 36.4.3" on Jetson. */
    release: text().optional(),
  }),
  accelerators: z.array(Accelerator).max(LIMITS.maxAccelerators),
  envelope: Envelope.optional(),
  conditions: Conditions.optional(),
});

/**
 * Which build of llama.cpp ran: a prebuilt's CPU variant can lack instructions
 * a build made on the board with -march=native uses, so the same board and
 * model can differ by build alone.
 */
export const LlamaCppBinaries = z.strictObject({
  /** node-llama-cpp's release binaries ("prebuilt") or a build compiled on this machine ("local"). */
  origin: z.enum(["prebuilt", "local"]).optional(),
  /** The commit llama.cpp's build stamped into its libraries (LLAMA_COMMIT), e.g. "0ad4a86". */
  commit: text().optional(),
  /** The CPU backend variant ggml loaded for this CPU, e.g. "haswell", "skylakex", "armv8.2_2"; absent for a build with one CPU backend. */
  cpuVariant: text().optional(),
  /** The ggml backend libraries the process loaded, e.g. ["ggml-cpu-haswell", "ggml-cuda"]. */
  backendLibraries: z.array(text()).max(16).optional(),
  /** llama.cpp's system info: the instruction sets its CPU backend was built with. */
  systemInfo: text(LIMITS.longText).optional(),
});

export const Runtime = z.strictObject({
  name: text(),
  version: text(),
  /** llama.cpp release/build, e.g. "b6000", when the runtime embeds llama.cpp. */
  llamaCppBuild: text().optional(),
  /** The llama.cpp binaries that ran, where the runtime can tell. */
  llamaCpp: LlamaCppBinaries.optional(),
  backend: Backend,
  /** For runtimes benchmarked over HTTP (NPU vendor servers, llama-server, Ollama...). */
  http: z
    .strictObject({
      api: z.enum(["openai", "ollama"]),
      serverName: text().optional(),
      serverVersion: text().optional(),
      /** The accelerator the server says it uses; taken as declared, not verified. */
      declaredAccelerator: text().optional(),
    })
    .optional(),
});

export const Meter = z.strictObject({
  /** e.g. "rapl", "hwmon", "jetson-ina3221", "rpi5-pmic", "battery", "nvml", "shelly", "tasmota", "um25c", "cmd", "csv". */
  kind: text(),
  scope: MeterScope.exclude(["none"]),
  /** Human-readable identity: device path, host, or rail set. */
  label: text(LIMITS.longText).optional(),
  rails: z.array(text()).max(LIMITS.maxRails).optional(),
  /** "counter": cumulative energy read at boundaries; "sampled": power integrated by the trapezoid rule. */
  method: z.enum(["counter", "sampled"]),
  /** Requested sample rate in Hz (sampled meters). */
  sampleRateHz: z.number().positive().max(100_000).optional(),
  idle: z
    .strictObject({
      watts: nonNeg,
      seconds: z.number().positive(),
      samples: posInt,
    })
    .optional(),
});

export const TestEnergy = z.strictObject({
  /** Index into power.meters. */
  meter: nonNegInt.max(LIMITS.maxMeters - 1),
  status: z.enum(["measured", "insufficient-samples", "unavailable"]),
  /** Why the figure is missing (insufficient-samples / unavailable). */
  reason: text(LIMITS.longText).optional(),
  /** Gross energy of each repetition in joules, same order and length as samplesNs. */
  joulesPerRep: z.array(nonNeg).max(LIMITS.maxReps).optional(),
  peakW: nonNeg.optional(),
  /** Samples taken inside the test window and the rate actually achieved. */
  samples: nonNegInt.optional(),
  achievedRateHz: nonNeg.optional(),
  /** A bounded power trace over the whole test: ms since test start and watts. */
  trace: z
    .strictObject({
      tMs: z.array(nonNeg).max(LIMITS.maxTracePoints),
      w: z.array(nonNeg).max(LIMITS.maxTracePoints),
    })
    .optional(),
});

export const Thermal = z.strictObject({
  maxTempC: z.number().min(-60).max(200).optional(),
  startTempC: z.number().min(-60).max(200).optional(),
  minCpuFreqMHz: nonNeg.optional(),
  maxCpuFreqMHz: nonNeg.optional(),
  /** True when the CPU ran below its maximum frequency while loaded, or a throttle flag was set. */
  throttled: z.boolean().optional(),
  zones: z.array(text()).max(64).optional(),
  /**
   * Raspberry Pi firmware throttle word (vcgencmd get_throttled) last read in
   * the test: bits 0-3 the state then (under-voltage, ARM frequency capped,
   * throttled, soft temperature limit), bits 16-19 the same events as having
   * occurred since boot.
   */
  throttleWord: nonNegInt.max(0xfffff).optional(),
  /**
   * Samples over the test on its own clock (ms since the test started),
   * bounded like the power trace: the hottest zone, and each CPU cluster's
   * fastest core (clusters: the CPUs of one maximum frequency, with the
   * cpufreq governor in effect).
   */
  series: z
    .strictObject({
      tMs: z.array(nonNeg).max(LIMITS.maxTracePoints),
      maxTempC: z.array(z.number().min(-60).max(200)).max(LIMITS.maxTracePoints).optional(),
      clusters: z
        .array(
          z.strictObject({
            cpus: z.array(nonNegInt.max(4095)).max(1024),
            maxMHz: nonNeg.optional(),
            governor: text(64).optional(),
            mhz: z.array(nonNeg).max(LIMITS.maxTracePoints),
          }),
        )
        .max(16)
        .optional(),
      /** Every thermal zone that read, by its sysfs type, in °C. */
      zones: z
        .array(z.strictObject({ type: text(), c: z.array(z.number().min(-60).max(200)).max(LIMITS.maxTracePoints) }))
        .max(16)
        .optional(),
      /** Each devfreq device (GPU, NPU) by its sysfs name: its current frequency in MHz. */
      devfreq: z
        .array(
          z.strictObject({
            name: text(),
            maxMHz: nonNeg.optional(),
            governor: text(64).optional(),
            mhz: z.array(nonNeg).max(LIMITS.maxTracePoints),
          }),
        )
        .max(16)
        .optional(),
      /** Raspberry Pi throttle word bits 0-3 in each sample (OR of the samples a point stands for). */
      throttleBits: z.array(nonNegInt.max(15)).max(LIMITS.maxTracePoints).optional(),
      /**
       * The battery while the test ran: capacity in whole percent as the
       * kernel reports it (capacityStepPct: its resolution), and energy_now
       * (µWh) or else charge_now (µAh) with voltage_now (µV) where the driver has them.
       */
      battery: z
        .strictObject({
          name: text(),
          status: text(64).optional(),
          capacityPct: z.array(nonNeg.max(100)).max(LIMITS.maxTracePoints).optional(),
          capacityStepPct: z.number().positive().max(100).optional(),
          energyUWh: z.array(nonNeg).max(LIMITS.maxTracePoints).optional(),
          chargeUAh: z.array(nonNeg).max(LIMITS.maxTracePoints).optional(),
          voltageUV: z.array(nonNeg).max(LIMITS.maxTracePoints).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const Resources = z.strictObject({
  peakRssBytes: nonNegInt.optional(),
  /** Process CPU time over wall time, in % of one core (200 = two cores busy). */
  cpuPercent: nonNeg.max(100_000).optional(),
  peakVramBytes: nonNegInt.optional(),
  /** The whole system's CPU busy share over the test, % of all cores (100: every core busy), from /proc/stat. */
  systemCpuPct: nonNeg.max(100).optional(),
  /** System memory in use at the test's peak, % of MemTotal (MemTotal - MemAvailable), from /proc/meminfo. */
  memUsedPct: nonNeg.max(100).optional(),
});

/** What a served request must meet to count towards goodput (vLLM and GuideLLM style). */
export const ServiceObjective = z.strictObject({
  /** Longest time to first token, ms. */
  ttftMs: z.number().positive().max(600_000),
  /** Longest 95th-percentile gap between a request's tokens, ms. */
  itlP95Ms: z.number().positive().max(600_000),
});

/** One stream of one repetition of a concurrent test. */
export const StreamTiming = z.strictObject({
  /** From the repetition's start to this stream's first generated token, ns. */
  ttftNs: posInt,
  /**
   * Gaps between this stream's consecutive generated tokens, ns: nGen - 1 of
   * them when each token is seen (llama.cpp), fewer when a server streams
   * several tokens per chunk (then the gaps between chunks).
   */
  gapsNs: z.array(nonNegInt).max(LIMITS.maxTokenTimes),
});

/**
 * The pause before a test for the board to cool back to within 2 °C of its
 * thermal zones' readings at the start of the run. Temperatures are the
 * hottest zone's. Absent: no wait was made (turned off, or no thermal zones).
 */
export const Cooldown = z.strictObject({
  waitedMs: nonNegInt.max(3_600_000),
  /** Every zone was within 2 °C of its start-of-run reading when the test began (false: the maximum wait ran out). */
  reached: z.boolean(),
  /** Hottest zone at the start of the run. */
  baselineC: z.number().min(-60).max(200).optional(),
  /** Hottest zone when the wait began and when it ended. */
  startC: z.number().min(-60).max(200).optional(),
  endC: z.number().min(-60).max(200).optional(),
});

/** A concurrent test accounts for every stream of every repetition, inside the repetition's time. */
function concurrentRules(
  t: { concurrency?: number; streams?: { ttftNs: number; gapsNs: number[] }[][]; samplesNs: number[]; nGen: number; depth: number },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (!t.concurrency) {
    issue("concurrency", "a concurrent test states how many streams ran at once");
    return;
  }
  if (!t.streams || t.streams.length !== t.samplesNs.length) {
    issue("streams", "a concurrent test carries every repetition's streams");
    return;
  }
  if (t.nGen < 1) {
    issue("nGen", "a concurrent test generates at least one token per stream");
    return;
  }
  if (t.depth !== 0) issue("depth", "a concurrent test starts from an empty context");
  t.streams.forEach((rep, r) => {
    if (rep.length !== t.concurrency) issue("streams", `repetition ${r} has ${rep.length} streams, not ${t.concurrency}`);
    for (const s of rep) {
      if (s.ttftNs > t.samplesNs[r]!) issue("streams", `a stream's first token came after repetition ${r} ended`);
      if (s.gapsNs.length > t.nGen - 1 || (t.nGen > 1 && s.gapsNs.length === 0))
        issue("streams", `a stream's gaps must number 1 to nGen - 1 (${t.nGen - 1})`);
      if (s.ttftNs + s.gapsNs.reduce((a, b) => a + b, 0) > t.samplesNs[r]! * 1.001 + 1e6)
        issue("streams", `a stream's tokens run past repetition ${r}'s end`);
    }
  });
}

export const TestResult = z
  .strictObject({
    /** llama-bench style name: "pp512", "tg128", "pp512+tg128", "ttft", "tg128@d2048". */
    name: z.string().regex(/^[A-Za-z0-9+@_.-]{1,64}$/),
    kind: TestKind,
    nPrompt: nonNegInt.max(1_000_000),
    nGen: nonNegInt.max(1_000_000),
    /** KV-cache depth (tokens already in context) the test ran at. */
    depth: nonNegInt.max(10_000_000),
    status: z.enum(["ok", "failed"]),
    error: text(LIMITS.longText).optional(),
    /**
     * Raw wall time of each repetition in nanoseconds (warm-up excluded). For
     * "ttft" it is the time from start to the first generated token.
     */
    samplesNs: z.array(posInt).max(LIMITS.maxReps),
    /** Where the timings come from (HTTP runtimes may use server-side timings). */
    timing: z.enum(["client", "server"]).optional(),
    /** How token counts were obtained (HTTP runtimes). */
    tokenCounts: z.enum(["exact", "server-usage", "tokenizer", "estimated"]).optional(),
    /** Inter-token latency in ns from streamed chunks (HTTP runtimes). */
    interTokenNs: z.strictObject({ p50: nonNeg, p90: nonNeg }).optional(),
    energy: z.array(TestEnergy).max(LIMITS.maxMeters).optional(),
    thermal: Thermal.optional(),
    resources: Resources.optional(),
    cooldown: Cooldown.optional(),
    /** Concurrent tests: streams served at once; nPrompt and nGen are per stream, samplesNs from the start to the last stream's last token. */
    concurrency: posInt.max(LIMITS.maxStreams).optional(),
    /** Concurrent tests: per repetition, every stream's timing. */
    streams: z.array(z.array(StreamTiming).max(LIMITS.maxStreams)).max(LIMITS.maxReps).optional(),
    /** Concurrent tests: the objective goodput counts against (the suite's). */
    slo: ServiceObjective.optional(),
    /**
     * Sustained tests: every generated token's decode time as counts in the
     * contract's fixed log-spaced buckets (token-times.ts), and the slowest exactly.
     */
    tokenTimes: z
      .strictObject({
        counts: z.array(nonNegInt).length(TOKEN_TIME_BUCKETS),
        maxNs: posInt,
      })
      .optional(),
    /** Generation tests: per repetition, each generated token's decode time in ns (inter-token percentiles). */
    tokenNs: z.array(z.array(posInt).max(LIMITS.maxTokenTimes)).max(LIMITS.maxReps).optional(),
    /**
     * Sustained tests: tokens generated in each consecutive window of `ms`
     * milliseconds from the start (a decode counts in the window it ended in;
     * the last window also holds the decode that ended past the duration).
     */
    windows: z
      .strictObject({
        ms: posInt.max(60_000),
        tokens: z.array(nonNegInt.max(10_000_000)).min(1).max(LIMITS.maxWindows),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    if (t.tokenNs && (t.tokenNs.length !== t.samplesNs.length || t.tokenNs.some((rep) => rep.length !== t.nGen)))
      ctx.addIssue({ code: "custom", path: ["tokenNs"], message: "tokenNs holds nGen decode times for every repetition" });
    if (t.kind === "concurrent" && t.status === "ok") concurrentRules(t, ctx);
    if (t.tokenTimes && t.tokenTimes.counts.reduce((a, b) => a + b, 0) !== t.nGen)
      ctx.addIssue({ code: "custom", path: ["tokenTimes", "counts"], message: "the token-time counts must sum to nGen" });
    // A sustained test is one timed span whose windows account for every token it generated.
    if (t.kind !== "sustained" || t.status !== "ok") return;
    if (!t.windows) ctx.addIssue({ code: "custom", path: ["windows"], message: "a sustained test carries its per-window token counts" });
    else if (t.windows.tokens.reduce((a, b) => a + b, 0) !== t.nGen)
      ctx.addIssue({ code: "custom", path: ["windows", "tokens"], message: "the windows' tokens must sum to nGen" });
    if (t.samplesNs.length !== 1) ctx.addIssue({ code: "custom", path: ["samplesNs"], message: "a sustained test is one timed span" });
    if (t.nPrompt !== 0 || t.depth !== 0)
      ctx.addIssue({ code: "custom", path: ["nPrompt"], message: "a sustained test generates from an empty context" });
  });

export const ModelIdentity = z.strictObject({
  name: text(),
  fileName: text(LIMITS.longText).optional(),
  sha256: sha256Hex.optional(),
  sizeBytes: nonNegInt.optional(),
  parameters: nonNegInt.optional(),
  /** GGUF file type as llama.cpp names it, e.g. "Q4_K_M", "Q8_0", "F16". */
  quantisation: text(),
  arch: text().optional(),
  /** Where it came from: an hf: URI, a URL, or "local". */
  source: text(LIMITS.longText).optional(),
});

export const Settings = z.strictObject({
  threads: posInt.max(8192),
  gpuLayers: nonNegInt.max(100_000),
  contextSize: posInt.max(10_000_000),
  batchSize: posInt.max(10_000_000),
  ubatchSize: posInt.max(10_000_000),
  flashAttention: z.boolean(),
});

export const Quality = z.strictObject({
  perplexity: z.number().positive().max(1e9),
  tokens: posInt,
  /** The suite's fixed text, by id and hash, so runs are comparable. */
  corpus: z.strictObject({ id: text(), sha256: sha256Hex }),
});

/**
 * Task accuracy (contract/src/hellaswag.ts): per task of the suite's subset,
 * from the first, the ending the model chose. The registry scores the choices
 * against its own key; the document carries no accuracy figure of its own.
 * "not-measured" says why (a runtime that returns no log-probabilities, a
 * failure part-way).
 */
export const Accuracy = z.discriminatedUnion("status", [
  z.strictObject({
    status: z.literal("measured"),
    benchmark: z.literal("hellaswag"),
    subset: z.strictObject({ id: text(), sha256: sha256Hex }),
    choices: z.array(z.number().int().min(0).max(3)).min(1).max(LIMITS.maxAccuracyTasks),
    /** Wall time the scoring took, ms. */
    elapsedMs: nonNeg.max(86_400_000).optional(),
  }),
  z.strictObject({
    status: z.literal("not-measured"),
    benchmark: z.literal("hellaswag"),
    reason: text(LIMITS.longText),
  }),
]);

const loadMs = z.number().positive().max(3_600_000);

/**
 * How long the model took to load and to give its first token, in ms.
 * "Cold" means the first load of the file by the benchmarking process, not a
 * file read from storage: the operating system's page cache may already hold
 * it (an earlier run; the uploader itself reads the whole file to hash it just
 * before), and that cannot be seen or dropped without root.
 */
export const ModelLoad = z
  .strictObject({
    /** The first load of the file by this process. Absent when it was loaded before (a later GPU-layers value of a sweep). */
    coldMs: loadMs.optional(),
    /** A load of the same file after it was loaded and released once in this process. */
    warmMs: loadMs.optional(),
    /**
     * From a freshly loaded model to its first generated token for a short
     * fixed prompt: context creation, the prompt's evaluation and the
     * sampling of one token (the first decode after a load also pays one-time
     * costs: compute graph allocation, page faults). Under this run's settings.
     */
    firstTokenMs: loadMs.optional(),
  })
  .refine((l) => l.coldMs !== undefined || l.warmMs !== undefined, { message: "a load record carries a cold or a warm load time" });

export const ModelRun = z.strictObject({
  model: ModelIdentity,
  settings: Settings,
  status: z.enum(["ok", "failed"]),
  error: text(LIMITS.longText).optional(),
  tests: z.array(TestResult).max(LIMITS.maxTestsPerRun),
  quality: Quality.optional(),
  accuracy: Accuracy.optional(),
  load: ModelLoad.optional(),
});

export const ResultDocument = z
  .strictObject({
    schema: z.literal(RESULT_SCHEMA_ID),
    suite: z.strictObject({ id: text(), version: text() }),
    /**
     * How the uploader was installed (npm: the npm package; release-archive: the
     * self-contained download with its own Node; source: a repository checkout)
     * and the Node.js version it ran on, so a result can be traced to its bits.
     */
    uploader: z.strictObject({
      name: text(),
      version: text(),
      install: z.enum(["npm", "release-archive", "source"]).optional(),
      node: text().optional(),
    }),
    /** RFC 3339 with an offset, e.g. 2026-11-21T10:00:00.000Z. */
    createdAt: z.iso.datetime({ offset: true }),
    contributor: z.strictObject({ displayName: text(64).optional() }).optional(),
    /** measured: run by the uploader; imported: converted from another tool's output (no power). */
    origin: z.strictObject({
      kind: z.enum(["measured", "imported"]),
      tool: text().optional(),
    }),
    /**
     * Fleet/site label and node name for cluster runs. A fleet-level result
     * (load driven at the cluster's Service, not one node) names no node and
     * lists the nodes behind the Service as declared.
     */
    fleet: z
      .strictObject({
        label: text().optional(),
        node: text().optional(),
        nodes: z.array(text()).max(256).optional(),
      })
      .optional(),
    system: System,
    runtime: Runtime,
    power: z.strictObject({
      /** Ordered: meters[0] is the primary meter, used for ranking. Empty: not measured. */
      meters: z.array(Meter).max(LIMITS.maxMeters),
      /** Why nothing (or less than hoped) was measured. */
      note: text(LIMITS.longText).optional(),
    }),
    runs: z.array(ModelRun).min(1).max(LIMITS.maxRuns),
  })
  .superRefine((doc, ctx) => {
    // Cross-field rules zod cannot express per field.
    doc.runs.forEach((run, r) => {
      run.tests.forEach((test, t) => {
        const path = ["runs", r, "tests", t];
        if (test.status === "ok" && test.samplesNs.length === 0) {
          ctx.addIssue({ code: "custom", path: [...path, "samplesNs"], message: "a test with status ok needs at least one sample" });
        }
        if ((test.kind === "tg" || test.kind === "pg") && test.nGen === 0) {
          ctx.addIssue({ code: "custom", path: [...path, "nGen"], message: `a ${test.kind} test generates at least one token` });
        }
        if ((test.kind === "pp" || test.kind === "pg" || test.kind === "ttft") && test.nPrompt === 0) {
          ctx.addIssue({ code: "custom", path: [...path, "nPrompt"], message: `a ${test.kind} test processes at least one prompt token` });
        }
        test.energy?.forEach((e, k) => {
          const ePath = [...path, "energy", k];
          if (e.meter >= doc.power.meters.length) {
            ctx.addIssue({ code: "custom", path: [...ePath, "meter"], message: "refers to a meter not listed in power.meters" });
          }
          if (e.status === "measured" && e.joulesPerRep?.length !== test.samplesNs.length) {
            ctx.addIssue({ code: "custom", path: [...ePath, "joulesPerRep"], message: "a measured test needs one energy figure per repetition" });
          }
          if (e.status !== "measured" && !e.reason) {
            ctx.addIssue({ code: "custom", path: [...ePath, "reason"], message: "an energy figure that is not measured needs a reason" });
          }
          if (e.trace && e.trace.tMs.length !== e.trace.w.length) {
            ctx.addIssue({ code: "custom", path: [...ePath, "trace"], message: "trace tMs and w must have the same length" });
          }
        });
      });
    });
  });

/** The body of POST /api/v1/submissions. */
export const Submission = z.strictObject({
  document: z.unknown(),
  /** Ed25519 signature over the JCS bytes of document, base64url without padding. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "64 bytes in base64url without padding"),
  /** Raw 32-byte Ed25519 public key, base64url without padding. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32 bytes in base64url without padding"),
});

/**
 * A contributor withdrawing one of their own results: POST
 * /api/v1/submissions/:id/withdraw with this body. `signature` is Ed25519 over
 * the RFC 8785 bytes of `withdraw` (signing.ts signRequest) by the key that
 * signed the submission. The registry refuses `at` more than 10 minutes from
 * its clock and a nonce the key already used.
 */
export const WithdrawRequest = z.strictObject({
  withdraw: z.strictObject({
    action: z.literal("withdraw"),
    id: sha256Hex,
    /** RFC 3339 time of signing. */
    at: z.iso.datetime({ offset: true }),
    /** 16-64 random base64url characters, never reused by the key. */
    nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "16-64 base64url characters"),
    reason: text(LIMITS.longText).optional(),
  }),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "64 bytes in base64url without padding"),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32 bytes in base64url without padding"),
});

export type MeterScope = z.infer<typeof MeterScope>;
export type Backend = z.infer<typeof Backend>;
export type TestKind = z.infer<typeof TestKind>;
export type Envelope = z.infer<typeof Envelope>;
export type Accelerator = z.infer<typeof Accelerator>;
export type System = z.infer<typeof System>;
export type Runtime = z.infer<typeof Runtime>;
export type Conditions = z.infer<typeof Conditions>;
export type Meter = z.infer<typeof Meter>;
export type TestEnergy = z.infer<typeof TestEnergy>;
export type Thermal = z.infer<typeof Thermal>;
export type Resources = z.infer<typeof Resources>;
export type ServiceObjective = z.infer<typeof ServiceObjective>;
export type StreamTiming = z.infer<typeof StreamTiming>;
export type Cooldown = z.infer<typeof Cooldown>;
export type TestResult = z.infer<typeof TestResult>;
export type ModelIdentity = z.infer<typeof ModelIdentity>;
export type Settings = z.infer<typeof Settings>;
export type Quality = z.infer<typeof Quality>;
export type Accuracy = z.infer<typeof Accuracy>;
export type ModelLoad = z.infer<typeof ModelLoad>;
export type ModelRun = z.infer<typeof ModelRun>;
export type ResultDocument = z.infer<typeof ResultDocument>;
export type Submission = z.infer<typeof Submission>;
export type WithdrawRequest = z.infer<typeof WithdrawRequest>;
