/** What a newcomer sees where there is nothing yet: how to put a result here. */
import type { Child } from "hono/jsx";

export function EmptyState(props: { title: string; children?: Child }) {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{props.title}</h2>
      {props.children}
      <p>Measure a board and submit the signed result with the uploader:</p>
      <pre>
        <code>{`npx edgebench run          # run the standard suite on this board
edgebench keygen           # once: create your Ed25519 signing key
edgebench submit           # sign and send queued results (kept offline until sent)`}</code>
      </pre>
      <p class="muted">
        Results are public once submitted. The registry verifies the signature and recomputes every figure from the raw samples. See{" "}
        <a href="/api">the API page</a> for the document format and how to verify a result yourself.
      </p>
    </section>
  );
}
