/**
 * RDTech UM24C / UM25C / UM34C USB meters over a serial device (Bluetooth
 * RFCOMM like /dev/rfcomm0, or a USB serial adapter), 9600 baud
 * (power-meters.md section 7): send the byte 0xF0, read a 130-byte big-endian
 * frame: bytes 2-3 volts (/100, UM25C /1000), 4-5 amps (/1000, UM25C /10000),
 * 6-9 watts (/1000), 10-11 deg C. Power is the watts field, which has the same
 * scaling on every model. Scope: board-input (it sits in the board's USB supply).
 *
 * A read discards stale bytes, sends 0xF0 and waits for 130 bytes with a
 * timeout; a short or garbled frame fails that read only.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import type { Readable } from "node:stream";
import tty from "node:tty";
import { runTool } from "../tools.js";
import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";

export const UM_FRAME_BYTES = 130;
export const UM_MODELS = ["um24c", "um25c", "um34c"] as const;
export type UmModel = (typeof UM_MODELS)[number];

/** Frame start bytes by model, as the devices send them (unverified beyond one tool). */
const START: Record<number, UmModel> = { 2403: "um24c", 2505: "um25c", 3404: "um34c" };

export interface UmFrame {
  model: UmModel;
  volts: number;
  amps: number;
  watts: number;
  tempC: number;
}

export function parseUmFrame(frame: Buffer, declared: UmModel): UmFrame {
  if (frame.length !== UM_FRAME_BYTES) throw new Error(`USB meter frame is ${frame.length} bytes, expected ${UM_FRAME_BYTES}`);
  const model = START[frame.readUInt16BE(0)] ?? declared;
  const fine = model === "um25c"; // the UM25C reports one more decimal for V and A
  const volts = frame.readUInt16BE(2) / (fine ? 1000 : 100);
  const amps = frame.readUInt16BE(4) / (fine ? 10000 : 1000);
  const watts = frame.readUInt32BE(6) / 1000;
  const tempC = frame.readUInt16BE(10);
  // A frame read out of step has fields from the wrong offsets: V*A then disagrees with W.
  if (Math.abs(volts * amps - watts) > Math.max(0.05 * watts, 0.02)) {
    throw new Error(`USB meter frame is inconsistent (${volts} V * ${amps} A != ${watts} W): out of step or wrong model (${model})`);
  }
  return { model, volts, amps, watts, tempC };
}

/** Build a frame as the meter sends it (tests, and documentation of the layout). */
export function buildUmFrame(model: UmModel, volts: number, amps: number, tempC = 30): Buffer {
  const b = Buffer.alloc(UM_FRAME_BYTES);
  const start = Number(Object.entries(START).find(([, m]) => m === model)![0]);
  const fine = model === "um25c";
  b.writeUInt16BE(start, 0);
  b.writeUInt16BE(Math.round(volts * (fine ? 1000 : 100)), 2);
  b.writeUInt16BE(Math.round(amps * (fine ? 10000 : 1000)), 4);
  b.writeUInt32BE(Math.round(volts * amps * 1000), 6);
  b.writeUInt16BE(tempC, 10);
  b.writeUInt16BE(start, 128);
  return b;
}

class SerialLink {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    readonly fd: number,
    private readonly stream: Readable,
  ) {
    stream.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiter?.();
    });
    const fail = (err?: Error) => {
      this.failure = err ?? new Error("serial device closed");
      this.waiter?.();
    };
    stream.on("error", fail);
    stream.on("end", () => fail());
  }

  async request(timeoutMs: number): Promise<Buffer> {
    if (this.failure) throw this.failure;
    this.buf = Buffer.alloc(0);
    await new Promise<void>((res, rej) => fs.write(this.fd, Buffer.from([0xf0]), (err) => (err ? rej(err) : res())));
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < UM_FRAME_BYTES) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`USB meter: ${this.buf.length} of ${UM_FRAME_BYTES} bytes within ${timeoutMs} ms`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiter = () => {
          clearTimeout(t);
          res();
        };
      });
      this.waiter = undefined;
    }
    const frame = this.buf.subarray(0, UM_FRAME_BYTES);
    this.buf = this.buf.subarray(UM_FRAME_BYTES);
    return Buffer.from(frame);
  }

  close(): void {
    this.stream.destroy();
  }
}

async function openLink(device: string, ctx: MeterContext): Promise<SerialLink> {
  const fd = await new Promise<number>((res, rej) =>
    fs.open(device, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK, (err, fd) => (err ? rej(err) : res(fd))),
  );
  if (tty.isatty(fd)) {
    // Raw bytes at 9600 baud, no echo or line editing: the frame is binary.
    await runTool("stty", ["-F", device, "raw", "-echo", "9600"], ctx.timeoutMs);
    return new SerialLink(fd, new tty.ReadStream(fd));
  }
  const st = await fsp.stat(device);
  if (st.isFIFO() || st.isSocket()) return new SerialLink(fd, new net.Socket({ fd, readable: true, writable: false }));
  fs.closeSync(fd);
  throw new Error(`${device} is neither a serial device nor a pipe`);
}

export async function umFromSpec(ctx: MeterContext, model: UmModel, device: string): Promise<MeterCandidate> {
  const timeoutMs = Math.min(ctx.timeoutMs, 2000);
  const link = await openLink(device, ctx);
  let first: UmFrame;
  try {
    first = parseUmFrame(await link.request(timeoutMs), model);
  } catch (err) {
    link.close();
    throw err;
  }
  const info = {
    spec: `${model}:${device}`,
    kind: first.model,
    scope: ctx.scope ?? ("board-input" as const),
    method: "sampled" as const,
    label: `${first.model.toUpperCase()} on ${device}`,
    // 130 bytes at 9600 baud take 135 ms on the wire: a few reads a second at most.
    maxRateHz: 5,
  };
  const source: PolledSource = {
    ...info,
    mode: "poll",
    read: async () => parseUmFrame(await link.request(timeoutMs), model).watts,
    close: async () => link.close(),
  };
  return { ...info, available: true, open: async () => source };
}
