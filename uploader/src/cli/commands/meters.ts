/** `edgebench meters`: the power meters found here, each with its scope and a live reading. */
import { Command, Option } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { METER_PASSWORD_HELP, METER_SPEC_HELP, METER_USER_HELP, type PowerScope, parseScope } from "../../power/index.js";
import { listMeters, type MeterListing } from "../../power/live.js";

export interface MetersOptions {
  meter?: string[];
  scope?: string;
  meterUser?: string;
  meterPassword?: string;
  json?: boolean;
}

export function formatMeters(list: MeterListing[]): string {
  if (!list.length) return `no power meter found on this machine; name one with --meter (${METER_SPEC_HELP})\n`;
  const rows = list.map((m) => [
    m.spec,
    m.scope,
    m.method,
    m.watts !== undefined ? `${m.watts.toFixed(2)} W` : m.available ? "no reading" : "unavailable",
    m.label ?? m.kind,
  ]);
  const head = ["meter", "scope", "method", "reading", "what"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  const out = [line(head), ...rows.map(line)];
  for (const m of list) {
    if (m.rails?.length) out.push(`  ${m.spec} rails: ${m.rails.join(", ")}`);
    if (m.reason) out.push(`  ${m.spec}: ${m.reason}`);
    if (m.error) out.push(`  ${m.spec}: reading failed: ${m.error}`);
  }
  const primary = list.find((m) => m.available && m.watts !== undefined);
  if (primary) out.push(`\`edgebench run\` records all available meters; primary (widest scope): ${primary.spec}`);
  return `${out.join("\n")}\n`;
}

/** The plain function behind the command (testable without the CLI parser). */
export async function metersCommandAction(
  opts: MetersOptions,
  config: Config = loadConfig(),
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<MeterListing[]> {
  const scope: PowerScope | undefined = opts.scope ? parseScope(opts.scope) : undefined;
  const list = await listMeters(config, {
    meterSpecs: opts.meter,
    scope,
    meterUser: opts.meterUser,
    meterPassword: opts.meterPassword ?? config.meterPasswordFromEnv,
  });
  write(opts.json ? `${JSON.stringify(list)}\n` : formatMeters(list));
  return list;
}

export function metersCommand(): Command {
  return new Command("meters")
    .description("list the power meters found on this machine, with scope and a live reading")
    .addOption(new Option("--meter <spec...>", `also try these meters: ${METER_SPEC_HELP}`))
    .option("--scope <scope>", "what a cmd:/csv: meter measures (wall, board-input, module-input, soc-rails, accelerator, cpu-package)")
    .option("--meter-user <user>", METER_USER_HELP)
    .option("--meter-password <password>", METER_PASSWORD_HELP)
    .option("--json", "machine-readable output")
    .action(async (opts: MetersOptions) => {
      await metersCommandAction(opts);
    });
}
