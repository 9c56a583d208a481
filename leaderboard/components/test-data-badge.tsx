/** The mark on pages of test data (workers/ranking/test-data.ts): they open, but nothing on them ranks publicly. */
export function TestDataBadge(props: { what: string }) {
  return (
    <p class="test-data">
      <span class="badge unconfirmed" title={`${props.what}: results on it are stored but left out of the rankings unless test data is included`}>
        test data: not ranked publicly
      </span>
    </p>
  );
}
