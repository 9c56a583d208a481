export declare const LLAMA_CPP_SRC: string;
export declare const LLAMA_CPP_BUILD: string;
export declare const LLAMA_BENCH: string;
