export declare const LLAMA_CPP_SRC: string;
export declare const LLAMA_CPP_BUILD: string;
export declare const LLAMA_BENCH: string;
export declare const LLAMA_BATCHED_BENCH: string;
export declare const LLAMA_BENCH_SAME_BUILD: string;
export declare const LLAMA_BATCHED_BENCH_SAME_BUILD: string;
export declare const NO_THREADPOOL_ENV: string;
