/**
 * Token counts when the server gives none. With --model-file, the model's own
 * tokenizer (node-llama-cpp, vocabulary only: no weights are loaded) counts
 * the prompt as the server would see it and the text that came back; without
 * it, counts are estimated and marked so in the document.
 */
import type { ChatHistoryItem, LlamaModel, Token } from "node-llama-cpp";
import { loadLlama, nodeLlamaCpp } from "../../detect/llama.js";
import type { ChatMessage } from "./client.js";

export interface LocalTokenizer {
  /** Tokens of a raw-text prompt, BOS included when the model wants one. */
  promptTokens(text: string): number;
  /** Tokens of a chat prompt formatted with the model's own chat template. */
  chatTokens(messages: ChatMessage[]): number;
  /** Tokens of generated text (no BOS). */
  textTokens(text: string): number;
  /** Text of the first n tokens of `text` (cycled when it is shorter). */
  textOfTokens(text: string, n: number): string;
  dispose(): Promise<void>;
}

export async function loadTokenizer(file: string): Promise<LocalTokenizer> {
  const { resolveChatWrapper } = await nodeLlamaCpp();
  const llama = await loadLlama("cpu");
  const model: LlamaModel = await llama.loadModel({ modelPath: file, vocabOnly: true });
  const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? 1 : 0;
  const corpusCache = new Map<string, Token[]>();
  return {
    promptTokens: (text) => bos + model.tokenize(text).length,
    chatTokens(messages) {
      const wrapper = resolveChatWrapper(model);
      const history: ChatHistoryItem[] = [
        ...messages.map((m): ChatHistoryItem => (m.role === "system" ? { type: "system", text: m.content } : { type: "user", text: m.content })),
        { type: "model", response: [] },
      ];
      return wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
    },
    textTokens: (text) => model.tokenize(text).length,
    textOfTokens(text, n) {
      let toks = corpusCache.get(text);
      if (!toks) {
        toks = model.tokenize(text);
        corpusCache.set(text, toks);
      }
      const out: Token[] = [];
      for (let i = 0; i < n; i++) out.push(toks[i % toks.length]!);
      return model.detokenize(out);
    },
    async dispose() {
      await model.dispose();
    },
  };
}

/** Rough counts for servers that give none and no tokenizer: about 4 characters per token. */
export const ESTIMATED_CHARS_PER_TOKEN = 4;
export const estimateTokens = (text: string) => Math.max(1, Math.round(text.length / ESTIMATED_CHARS_PER_TOKEN));
