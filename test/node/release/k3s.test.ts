/**
 * The K3s manifests in uploader/deploy/k3s/: parsed with a real YAML parser
 * (PyYAML through python3, the one installed here; skipped with the reason when
 * absent) and checked for the wiring that makes them work (mounts, downward
 * API, secret, priority, no CPU limit), rendered by `kubectl kustomize` when
 * kubectl is installed, and the init container's run-once.sh executed for real
 * against the bundled CLI on the tiny model. Not run on a cluster.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, REPO_ROOT, tinyModel } from "../helpers/models.js";
import { exec } from "./pack-helpers.js";

const K3S = path.join(REPO_ROOT, "uploader", "deploy", "k3s");

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
}
interface Container {
  name: string;
  command: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { privileged?: boolean };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  hostPath?: { path: string; type: string };
  configMap?: { name: string };
  secret?: { secretName: string };
}

const hasPyYaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;
const hasKubectl = spawnSync("kubectl", ["version", "--client"]).status === 0;

/** Every document of a YAML file, parsed by PyYAML's safe loader and handed over as JSON. */
function loadYaml(file: string): K8sObject[] {
  const r = spawnSync(
    "python3",
    ["-c", "import sys, json, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]))", file],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`${file} is not valid YAML:\n${r.stderr}`);
  return JSON.parse(r.stdout) as K8sObject[];
}

describe.skipIf(!hasPyYaml)("K3s manifests (parsed with PyYAML)", () => {
  const kustomization = hasPyYaml ? (loadYaml(path.join(K3S, "kustomization.yaml"))[0] as unknown as { resources: string[] }) : { resources: [] };
  const objects = kustomization.resources.flatMap((f) => loadYaml(path.join(K3S, f)));
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const ds = find("DaemonSet", "edgebench") as K8sObject & {
    spec: { template: { spec: { initContainers: Container[]; containers: Container[]; volumes: Volume[]; priorityClassName: string } } };
  };
  const pod = ds?.spec.template.spec;

  it("lists files that exist and parse, all namespaced in edgebench", () => {
    expect(kustomization.resources.length).toBeGreaterThan(0);
    expect(objects.map((o) => o.kind).sort()).toEqual(["ConfigMap", "ConfigMap", "DaemonSet", "Namespace", "PriorityClass"]);
    for (const o of objects.filter((o) => !["Namespace", "PriorityClass"].includes(o.kind)))
      expect(o.metadata.namespace, o.metadata.name).toBe("edgebench");
  });

  it("init container runs the suite with the node name from the downward API and the key from a Secret", () => {
    const [init] = pod.initContainers;
    expect(init!.command.join(" ")).toContain("run-once.sh");
    expect(init!.env).toContainEqual({ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
    const scripts = find("ConfigMap", "edgebench-scripts") as K8sObject & { data: Record<string, string> };
    expect(scripts.data["run-once.sh"]).toContain('--node "$NODE_NAME"');
    expect(scripts.data["run-once.sh"]).toContain("edgebench key import");
    const key = pod.volumes.find((v) => v.secret);
    expect(key?.secret?.secretName).toBe("edgebench-key");
    expect(init!.volumeMounts.find((m) => m.name === key!.name)?.readOnly).toBe(true);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      for (const ref of c.envFrom ?? []) expect(find("ConfigMap", ref.configMapRef!.name), ref.configMapRef!.name).toBeDefined();
    }
  });

  it("outbox and models live on host paths; the node's /sys, /proc, /etc, /dev are read-only under EDGEBENCH_SYSROOT", () => {
    const [init] = pod.initContainers;
    const env = Object.fromEntries((init!.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    const volume = (mountPath: string) => {
      const m = init!.volumeMounts.find((v) => v.mountPath === mountPath);
      return { mount: m, volume: pod.volumes.find((v) => v.name === m?.name) };
    };
    expect(volume(env.EDGEBENCH_HOME!).volume?.hostPath?.path).toBe("/var/lib/edgebench/home");
    expect(volume(env.EDGEBENCH_MODELS!).volume?.hostPath?.path).toBe("/var/lib/edgebench/models");
    expect(env.EDGEBENCH_SYSROOT).toBe("/host");
    for (const dir of ["sys", "proc", "etc", "dev"]) {
      const { mount, volume: v } = volume(`/host/${dir}`);
      expect(mount?.readOnly, dir).toBe(true);
      expect(v?.hostPath?.path, dir).toBe(`/${dir}`);
    }
    // The submitter shares the outbox so queued results go out when the link is back.
    expect(pod.containers[0]!.volumeMounts.some((m) => m.mountPath === env.EDGEBENCH_HOME)).toBe(true);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      for (const m of c.volumeMounts)
        expect(
          pod.volumes.map((v) => v.name),
          `${c.name}: ${m.name}`,
        ).toContain(m.name);
    }
  });

  it("the benchmark is not disturbed: its own priority class, a CPU request and no CPU limit", () => {
    expect(find("PriorityClass", pod.priorityClassName)).toMatchObject({ preemptionPolicy: "Never" });
    const [init] = pod.initContainers;
    expect(init!.resources.requests?.cpu).toBeDefined();
    expect(init!.resources.limits?.cpu).toBeUndefined();
    expect(init!.resources.limits?.memory).toBeDefined();
  });

  it.skipIf(!hasKubectl)("kubectl kustomize renders the directory", async () => {
    const r = await exec("kubectl", ["kustomize", K3S]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("kind: DaemonSet");
  });
});

describe.skipIf(!hasPyYaml)("run-once.sh (the init container's script) with the real CLI", () => {
  let work = "";
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-k3s-"));
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("imports the key, runs once as NODE_NAME in FLEET, queues the signed result offline, and skips a finished RUN_ID", async () => {
    const scripts = loadYaml(path.join(K3S, "config.yaml")).find((o) => o.metadata.name === "edgebench-scripts") as K8sObject & {
      data: Record<string, string>;
    };
    const script = path.join(work, "run-once.sh");
    fs.writeFileSync(script, scripts.data["run-once.sh"]!);
    const bin = path.join(work, "bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(CLI, path.join(bin, "edgebench"));
    // A fleet key made elsewhere and exported, as the Secret holds it.
    const keyFile = path.join(work, "key.json");
    const admin = { ...process.env, EDGEBENCH_HOME: path.join(work, "admin") };
    expect((await exec(process.execPath, [CLI, "keygen"], { env: admin })).code).toBe(0);
    expect((await exec(process.execPath, [CLI, "key", "export", "--out", keyFile], { env: admin })).code).toBe(0);

    const home = path.join(work, "node-home");
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      CI: "1",
      NODE_NAME: "pi-node-3",
      FLEET: "pi5-cluster",
      RUN_ID: "t1",
      KEY_FILE: keyFile,
      EDGEBENCH_HOME: home,
      EDGEBENCH_MODELS: path.dirname(tinyModel("q8_0")),
      EDGEBENCH_SERVER: "http://127.0.0.1:9",
      MODELS: path.basename(tinyModel("q8_0")),
      // --offline: the air-gapped case, signed and queued for the submitter; --submit-synthetic: the tiny model is one edgebench generated.
      RUN_ARGS: "--reps 1 --threads 1 --no-perplexity --idle-seconds 0 --offline --submit-synthetic",
    };
    const first = await exec("sh", [script], { env, timeoutMs: 240_000 });
    expect(first.code, first.stderr.slice(-3000)).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(home, "runs", "t1.json"), "utf8")) as { fleet: unknown };
    expect(doc.fleet).toEqual({ label: "pi5-cluster", node: "pi-node-3" });
    const queued = fs.readdirSync(path.join(home, "outbox")).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
    expect(queued).toHaveLength(1);

    const again = await exec("sh", [script], { env, timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("run t1 already done on pi-node-3");
    expect(fs.readdirSync(path.join(home, "outbox")).filter((f) => /^[0-9a-f]{64}\.json$/.test(f))).toEqual(queued);
  }, 300_000);
});
