/**
 * Data access for the API and the leaderboard pages. Every function takes the
 * drizzle instance (createDb(env.DB), or c.var.db inside a route).
 */
export { createDb, type Db } from "../db.js";
export type { LeaderboardRow } from "./rows.js";
export {
  queryLeaderboard,
  parseLeaderboardQuery,
  LeaderboardQuery,
  LeaderboardQueryError,
  DEFAULT_SORT,
  MAX_PAGE,
  type LeaderboardParams,
  type LeaderboardPage,
} from "./leaderboard.js";
export { getSubmission, listRecentSubmissions, type SubmissionView, type SubmissionRunView, type SubmissionSummary } from "./submissions.js";
export { listBoards, getBoard, type BoardSummary, type BoardDetail } from "./boards.js";
export { listModels, getModel, modelFilterOptions, type ModelFamily, type ModelVariant, type ModelDetail } from "./models.js";
export { getConfigurations, MAX_COMPARE } from "./configurations.js";
export { setSubmissionStatus, type SubmissionStatus } from "./moderation.js";
