/**
 * Waits, as an API consumer can, until the aggregation step has folded every stored upload into the
 * rankings (GET /api/v1/status says nothing is pending): it runs right after
 * each upload's answer, so this normally returns at the first look.
 */
export async function rankingsSettled(baseUrl: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { pending } = (await (await fetch(`${baseUrl}/api/v1/status`)).json()) as { pending: number };
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} configurations still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
