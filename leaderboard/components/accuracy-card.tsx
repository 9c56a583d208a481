/**
 * A run's task accuracy on its result page. The score is the registry's own:
 * scoreAccuracy() of the choices the document records against the answer key
 * the contract holds (contract/src/hellaswag.ts); the document carries no
 * figure of its own to read. A quick check over fewer tasks than the subset
 * is scored and shown here, but only whole-subset runs rank.
 */
import { ACCURACY_SUBSETS, type ModelRun, scoreAccuracy } from "@edgebench/contract";
import { NOT_MEASURED, num, spreadWords, withSpread } from "../format.js";

/** The metric a scored run's figure ranks as (its unit and ± wording come from the contract's list). */
const METRIC = "hellaswag_acc";

/** Why choices scored nothing: the key the registry holds does not fit them. */
function unscoredReason(subset: { id: string; sha256: string }, answered: number): string {
  const key = ACCURACY_SUBSETS[subset.id];
  if (!key) return `the registry holds no answer key for the subset "${subset.id}"`;
  if (key.sha256 !== subset.sha256) return `the run's subset file (sha256 ${subset.sha256}) is not the one the registry's key belongs to`;
  return `${answered} choices for a subset of ${key.tasks} tasks`;
}

export function AccuracyCard(props: { accuracy: ModelRun["accuracy"] }) {
  const a = props.accuracy;
  return (
    <div class="card" data-field="accuracy">
      <h3>Task accuracy</h3>
      {!a ? (
        <p data-field="accuracy-status">
          <span class="nm">{NOT_MEASURED}</span>
        </p>
      ) : a.status === "not-measured" ? (
        <p data-field="accuracy-status">
          <span class="nm">{NOT_MEASURED}</span>: {a.reason}
        </p>
      ) : (
        <Scored subset={a.subset} choices={a.choices} elapsedMs={a.elapsedMs} />
      )}
    </div>
  );
}

function Scored(props: { subset: { id: string; sha256: string }; choices: number[]; elapsedMs: number | undefined }) {
  const score = scoreAccuracy(props.subset, props.choices);
  const key = ACCURACY_SUBSETS[props.subset.id];
  return (
    <dl class="kv">
      <dt>Score</dt>
      {score ? (
        <dd>
          <span data-field="accuracy-score" data-value={String(score.accuracy * 100)} data-stderr={String(score.stderr * 100)}>
            {withSpread(METRIC, score.accuracy * 100, score.stderr * 100)}
          </span>{" "}
          <span class="muted">{`(± ${spreadWords(METRIC, score.tasks)})`}</span>
        </dd>
      ) : (
        <dd data-field="accuracy-status">
          <span class="nm">not scored</span>: {unscoredReason(props.subset, props.choices.length)}
        </dd>
      )}
      {score ? (
        <>
          <dt>Answered</dt>
          <dd data-field="accuracy-tasks">
            {`${score.correct.toLocaleString("en-US")} of ${score.tasks.toLocaleString("en-US")} tasks right`}
            {score.full ? null : (
              <strong data-field="accuracy-quick">{` (quick check over ${score.tasks.toLocaleString("en-US")} tasks: not ranked)`}</strong>
            )}
          </dd>
        </>
      ) : null}
      <dt>Subset</dt>
      <dd class="mono" data-field="accuracy-subset">
        {props.subset.id}
      </dd>
      {key ? (
        <>
          <dt>Source</dt>
          <dd>{key.source}</dd>
          <dt>Licence</dt>
          <dd>{key.licence}</dd>
        </>
      ) : null}
      {props.elapsedMs !== undefined ? (
        <>
          <dt>Time</dt>
          <dd data-field="accuracy-elapsed">{`${num(props.elapsedMs / 1000)} s`}</dd>
        </>
      ) : null}
    </dl>
  );
}
