/** Types for release-sign.mjs. */
export interface ReleaseKey {
  privateKey: CryptoKey;
  publicKey: string;
  fingerprint: string;
  throwaway: boolean;
  pinned: boolean;
}
export declare function releaseKeyText(keyFile: string | undefined): Promise<{ keyText: string | undefined; keySource: string | undefined }>;
export declare function loadReleaseKey(text: string | undefined, source?: string): Promise<ReleaseKey>;
export declare function signRelease(
  dir: string,
  version: string,
  key: ReleaseKey,
): Promise<{ entries: { file: string; sha256: string }[]; sumsText: string }>;
