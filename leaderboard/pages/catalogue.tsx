/**
 * /boards and /models: what the registry has results for. Boards: most
 * submissions first (natural name order for ties), or `order=name`: natural
 * name order ("8GB" before "16GB"). Test data only with `test=1`.
 */
import type { BoardSummary } from "../../workers/read/boards.js";
import type { ModelFamily } from "../../workers/read/models.js";
import { Layout } from "../components/layout.js";

const query = (test: boolean, order?: string) => {
  const q = new URLSearchParams();
  if (order) q.set("order", order);
  if (test) q.set("test", "1");
  const s = q.toString();
  return s ? `?${s}` : "";
};

function TestToggle(props: { path: string; test: boolean; order?: string }) {
  return (
    <p class="muted">
      {props.test ? (
        <a href={`${props.path}${query(false, props.order)}`}>Leave out test data</a>
      ) : (
        <a href={`${props.path}${query(true, props.order)}`}>Include test data (generated models, unidentified boards)</a>
      )}
    </p>
  );
}

export function BoardsPage(props: { boards: BoardSummary[]; test: boolean; byName: boolean }) {
  return (
    <Layout title="Boards" section="other">
      <h1>Boards</h1>
      <p class="lede">
        {props.byName ? "By name. " : "Most submissions first. "}
        {props.byName ? (
          <a href={`/boards${query(props.test)}`}>Order by submissions</a>
        ) : (
          <a href={`/boards${query(props.test, "name")}`}>Order by name</a>
        )}
      </p>
      <TestToggle path="/boards" test={props.test} order={props.byName ? "name" : undefined} />
      <div class="tablewrap">
        <table id="boards">
          <thead>
            <tr>
              <th scope="col">Board</th>
              <th scope="col" class="n">
                Submissions
              </th>
              <th scope="col" class="n">
                Contributors
              </th>
              <th scope="col" class="n">
                Configurations
              </th>
            </tr>
          </thead>
          <tbody>
            {props.boards.map((b) => (
              <tr data-board={b.id}>
                <th scope="row">
                  <a href={`/boards/${encodeURIComponent(b.id)}${query(props.test)}`}>{b.name}</a>
                  {b.inCatalogue ? null : <span class="badge declared">not in the catalogue</span>}
                </th>
                <td class="n">{b.submissions}</td>
                <td class="n">{b.contributors}</td>
                <td class="n">{b.configurations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function ModelsPage(props: { models: ModelFamily[]; test: boolean }) {
  return (
    <Layout title="Models" section="other">
      <h1>Models</h1>
      <p class="lede">Most submissions first; each model's quantisations side by side on its page.</p>
      <TestToggle path="/models" test={props.test} />
      <div class="tablewrap">
        <table id="models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Quantisations</th>
              <th scope="col" class="n">
                Submissions
              </th>
              <th scope="col" class="n">
                Boards
              </th>
            </tr>
          </thead>
          <tbody>
            {props.models.map((m) => (
              <tr data-model={m.slug}>
                <th scope="row">
                  <a href={`/models/${encodeURIComponent(m.slug)}${query(props.test)}`}>{m.name}</a>
                </th>
                <td>{m.variants.map((v) => v.quantisation).join(", ")}</td>
                <td class="n">{m.submissions}</td>
                <td class="n">{m.boards}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
