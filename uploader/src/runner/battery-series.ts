/**
 * The battery of a battery-powered device, sampled during a test: its
 * capacity (whole percent, the power_supply ABI's resolution) and, where the
 * driver has them, energy_now (µWh) or else charge_now (µAh) with
 * voltage_now (µV). A long test's drain can then be read against its clocks.
 */
import { batteryNames, batteryStatus, POWER_SUPPLY } from "../detect/batteries.js";
import { readInt, type SysConfig } from "../detect/read.js";

export interface BatteryReading {
  capacityPct?: number;
  energyUWh?: number;
  chargeUAh?: number;
  voltageUV?: number;
}

export class BatteryProbe {
  private constructor(
    private readonly config: SysConfig,
    readonly name: string,
  ) {}

  /** The first supply of type Battery that reports a capacity or energy, if any. */
  static find(config: SysConfig): BatteryProbe | undefined {
    for (const name of batteryNames(config)) {
      const probe = new BatteryProbe(config, name);
      const r = probe.read();
      if (r.capacityPct !== undefined || r.energyUWh !== undefined || r.chargeUAh !== undefined) return probe;
    }
    return undefined;
  }

  read(): BatteryReading {
    const f = (attr: string) => readInt(this.config, `${POWER_SUPPLY}/${this.name}/${attr}`);
    const out: BatteryReading = {};
    const capacity = f("capacity");
    if (capacity !== undefined) out.capacityPct = capacity;
    const energy = f("energy_now");
    if (energy !== undefined) out.energyUWh = Math.abs(energy);
    else {
      // charge_now without a voltage cannot become energy; it still shows the drain.
      const charge = f("charge_now");
      const volts = f("voltage_now");
      if (charge !== undefined) out.chargeUAh = Math.abs(charge);
      if (charge !== undefined && volts !== undefined) out.voltageUV = Math.abs(volts);
    }
    return out;
  }

  status(): string | undefined {
    return batteryStatus(this.config, this.name);
  }
}
