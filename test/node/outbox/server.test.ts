import { describe, expect, it } from "vitest";
import { DEFAULT_SERVER, loadConfig } from "../../../uploader/src/config.js";
import { normaliseServer, resolveServer } from "../../../uploader/src/submit/index.js";

describe("which registry", () => {
  const env = loadConfig({ EDGEBENCH_HOME: "/tmp/x", EDGEBENCH_SERVER: "http://127.0.0.1:9000/" }, false);
  const none = loadConfig({ EDGEBENCH_HOME: "/tmp/x" }, false);

  it("--server, then config.json, then EDGEBENCH_SERVER, then the public default", () => {
    expect(resolveServer("http://127.0.0.1:1/", { server: "http://127.0.0.1:2" }, env)).toEqual({ server: "http://127.0.0.1:1", source: "flag" });
    expect(resolveServer(undefined, { server: "http://127.0.0.1:2" }, env)).toEqual({ server: "http://127.0.0.1:2", source: "config.json" });
    expect(resolveServer(undefined, {}, env)).toEqual({ server: "http://127.0.0.1:9000", source: "EDGEBENCH_SERVER" });
    expect(resolveServer(undefined, {}, none)).toEqual({ server: normaliseServer(DEFAULT_SERVER), source: "default" });
  });

  it("accepts http(s) base URLs, keeps a path prefix, refuses the rest clearly", () => {
    expect(normaliseServer("https://example.org/edgebench/")).toBe("https://example.org/edgebench");
    expect(() => normaliseServer("127.0.0.1:8787")).toThrow(/http or https|not a URL/);
    expect(() => normaliseServer("nonsense")).toThrow(/not a URL/);
    expect(() => normaliseServer("http://127.0.0.1:8787/?x=1")).toThrow(/no query/);
  });
});
