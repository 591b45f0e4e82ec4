// The trainer contract's progress lines (trainer/README.md): one JSON object per log line,
// after a fixed prefix, so a provider's log stream is also a machine-readable progress feed.
import { z } from "zod";

export const PROGRESS_PREFIX = "HEXS_PROGRESS ";

const metricsSchema = z
  .object({
    validationLossBefore: z.number(),
    validationLossAfter: z.number(),
    steps: z.number(),
  })
  .passthrough();

export const progressEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("started"), base: z.string(), datasetCid: z.string(), steps: z.number() }),
  z.object({
    event: z.literal("step"),
    step: z.number(),
    steps: z.number(),
    trainLoss: z.number(),
    validationLoss: z.number().optional(),
  }),
  z.object({ event: z.literal("uploading"), bytes: z.number() }),
  z.object({
    event: z.literal("result"),
    weightsCid: z.string(),
    metricsCid: z.string(),
    metrics: metricsSchema,
  }),
  z.object({ event: z.literal("failed"), error: z.string() }),
]);

export type ProgressEvent = z.infer<typeof progressEventSchema>;
export type ResultEvent = Extract<ProgressEvent, { event: "result" }>;

export function formatProgress(event: ProgressEvent): string {
  return PROGRESS_PREFIX + JSON.stringify(event);
}

/** The progress event on a log line, or undefined for an ordinary line (or a malformed one). */
export function parseProgress(line: string): ProgressEvent | undefined {
  const at = line.indexOf(PROGRESS_PREFIX);
  if (at < 0) return undefined;
  try {
    const parsed = progressEventSchema.safeParse(JSON.parse(line.slice(at + PROGRESS_PREFIX.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
