/**
 * Prompts of a given token length, made from the suite's corpus (real text, as
 * the direct runner uses). Over HTTP the server tokenises, so the length is hit
 * by one of three means, best first:
 *   1. tokenizer: the model's own tokenizer (--model-file) picks exactly n tokens;
 *   2. usage: two untimed probe requests read the server's prompt_tokens for two
 *      lengths of text, and a straight line (tokens = a + b * chars) gives the
 *      characters for n tokens;
 *   3. estimated: about 4 characters per token.
 * Whatever the means, the recorded nPrompt is the count for the prompt actually
 * sent (the server's usage when it gives one), not the target.
 *
 * Every request starts with a different nonce ("[4821] ") so no server can
 * answer a repetition from its prompt cache (llama-server, vLLM prefix caching,
 * Ollama's KV reuse all match on the prefix). A 4-digit nonce keeps the token
 * count the same from one request to the next.
 */
import type { GenClient } from "./client.js";
import { ESTIMATED_CHARS_PER_TOKEN, type LocalTokenizer } from "./tokens.js";

export type PromptMeans = "tokenizer" | "usage" | "estimated";

export class PromptMaker {
  private counter = 0;
  private fit?: { intercept: number; slope: number };
  means: PromptMeans;

  constructor(
    private readonly corpus: string,
    private readonly tokenizer?: LocalTokenizer,
  ) {
    this.means = tokenizer ? "tokenizer" : "estimated";
  }

  nonce(): string {
    this.counter = (this.counter + 1) % 9000;
    return `[${1000 + ((this.counter * 7919) % 9000)}] `;
  }

  private cycled(chars: number): string {
    let out = "";
    while (out.length < chars) out += (out ? "\n\n" : "") + this.corpus;
    return out.slice(0, Math.max(1, chars));
  }

  /** A raw-text prompt of about n tokens, nonce first. */
  text(n: number): string {
    const nonce = this.nonce();
    if (this.tokenizer) {
      // Tokens turned back into text can tokenise to one more or fewer where
      // the nonce and the corpus meet: step the body until the count is exact
      // (a ranked shape is exactly its token count).
      let body = Math.max(1, n - this.tokenizer.promptTokens(nonce));
      let text = nonce + this.tokenizer.textOfTokens(this.corpus, body);
      for (let i = 0; i < 4; i++) {
        const got = this.tokenizer.promptTokens(text);
        if (got === n || body + (n - got) < 1) break;
        body += n - got;
        text = nonce + this.tokenizer.textOfTokens(this.corpus, body);
      }
      return text;
    }
    if (this.fit) return nonce + this.cycled(Math.round((n - this.fit.intercept) / this.fit.slope));
    return nonce + this.cycled((n - 1) * ESTIMATED_CHARS_PER_TOKEN - nonce.length);
  }

  /** The shortest sensible prompt (a generation test starts from almost nothing). */
  minimal(): string {
    return this.nonce() + this.corpus.trim().split(/\s+/)[0]!;
  }

  /**
   * Without a tokenizer, fits characters to the server's token counts with two
   * untimed requests. Returns why it could not (then lengths are estimated).
   */
  async calibrate(client: GenClient): Promise<string | undefined> {
    if (this.tokenizer) return undefined;
    const probe = async (chars: number) => {
      const r = await client.generate({ kind: "text", prompt: this.nonce() + this.cycled(chars), maxTokens: 1, ignoreEos: true });
      return r.usage?.promptTokens;
    };
    try {
      const [c1, c2] = [400, 2000];
      const t1 = await probe(c1);
      const t2 = await probe(c2);
      if (t1 === undefined || t2 === undefined || !(t2 > t1)) return "the server reports no prompt token counts";
      const slope = (t2 - t1) / (c2 - c1);
      this.fit = { slope, intercept: t1 - slope * c1 };
      this.means = "usage";
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
}
