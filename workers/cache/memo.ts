/**
 * One value per registry version, held in the isolate: something every
 * render needs that changes only when the registry does (the site's filter
 * lists, computed by a GROUP BY over every configuration), computed once per
 * version instead of once per page. A null version (no version row) never
 * hits.
 */
export class VersionMemo<T> {
  #slot: { version: string; value: T } | null = null;

  get(version: string | null): T | undefined {
    return version !== null && this.#slot?.version === version ? this.#slot.value : undefined;
  }

  set(version: string | null, value: T): void {
    if (version !== null) this.#slot = { version, value };
  }
}
