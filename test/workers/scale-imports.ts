/** What leaderboard-scale.test.ts needs from the Worker, in one place. */
export { createDb } from "../../workers/db.js";
export { queryLeaderboard, TOTAL_CAP as TOTAL_CAP_FOR_TESTS, type LeaderboardParams } from "../../workers/queries/leaderboard.js";
