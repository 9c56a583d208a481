/** The page any unknown path, board, model or result id gets (status 404): what was asked, and where to go instead. */
import { Layout } from "../components/layout.js";

export function NotFoundPage(props: { asked: string; why: string }) {
  return (
    <Layout title="Not found" section="other">
      <h1>Not found</h1>
      <p class="lede" id="not-found-asked">
        {props.why} You asked for <code>{props.asked}</code>.
      </p>
      <ul id="not-found-links">
        <li>
          <a href="/">The leaderboard</a>
        </li>
        <li>
          <a href="/boards">Every board</a>
        </li>
        <li>
          <a href="/models">Every model</a>
        </li>
      </ul>
    </Layout>
  );
}
