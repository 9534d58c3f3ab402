import { z } from 'zod';
import { UsageTotalsSchema } from '../model/usage';
import { DiffSelectionSchema } from './gitPort';

export const SeveritySchema = z.enum(['info', 'warning', 'error']);
export type Severity = z.infer<typeof SeveritySchema>;

export const RecommendationSchema = z.enum(['approve', 'request_changes', 'comment']);
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** One comment as the model writes it (the schema, field for field). */
export const ReviewCommentSchema = z.object({
  path: z.string().min(1).describe('Workspace-relative path of a file in the diff, exactly as shown in the diff.'),
  line: z.number().int().nonnegative().describe('Line in the new version of the file (the number shown at the left of the diff line); 0 for a comment about the whole file.'),
  endLine: z.number().int().positive().optional().describe('Last line of a multi-line range in the new version; omit for one line.'),
  severity: SeveritySchema,
  title: z.string().min(1).describe('A short sentence naming the problem.'),
  body: z.string().describe('Why it is a problem and what happens if it is not fixed.'),
  suggestion: z.string().optional().describe('Replacement code for lines line..endLine, or a precise change.'),
});
export type CodeReviewComment = z.infer<typeof ReviewCommentSchema>;

/** The model's structured answer, requested through complete(). */
export const ReviewOutputSchema = z.object({
  summary: z.string().min(1),
  recommendation: RecommendationSchema,
  comments: z.array(ReviewCommentSchema),
});
export type ReviewOutput = z.infer<typeof ReviewOutputSchema>;

/**
 * A comment after it was checked against the diff. `fileLevel: true` means the comment is about the
 * file, not a line: its `line` is 0 and `endLine` absent, either because the model said so or because
 * the line it named is not part of the reviewed version's diff (then `movedFrom` keeps that line).
 */
export const CheckedCommentSchema = ReviewCommentSchema.extend({
  fileLevel: z.boolean(),
  movedFrom: z.number().int().nonnegative().optional(),
});
export type CheckedComment = z.infer<typeof CheckedCommentSchema>;

export const SkippedFileSchema = z.object({
  path: z.string(),
  reason: z.string(),
});
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

/** What a review returns to every front end: the JSON format prints exactly this. */
export const ReviewResultSchema = z.object({
  summary: z.string(),
  recommendation: RecommendationSchema,
  comments: z.array(CheckedCommentSchema),
  usage: UsageTotalsSchema,
  /** What was reviewed, in words ("uncommitted changes against HEAD (3f2a1c9)"). */
  diff: z.object({ selection: DiffSelectionSchema, description: z.string(), files: z.array(z.string()) }),
  /** Files in the diff that were not shown to the model, and why (binary, over the token budget). */
  skipped: z.array(SkippedFileSchema),
  /** Comments moved or dropped, and anything else the reader should know about how the review was made. */
  notes: z.array(z.string()),
  model: z.string(),
});
export type ReviewResult = z.infer<typeof ReviewResultSchema>;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function severityAtLeast(s: Severity, threshold: Severity): boolean {
  return RANK[s] >= RANK[threshold];
}
