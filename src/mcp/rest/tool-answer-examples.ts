import recorded from './tool-answer-examples.json';

/**
 * What each tool answered to the example in its description, in the demo world built around
 * `anchor` (seed and clock): recorded by `npm run examples:update`, and checked against live
 * answers by the examples test, so Swagger's 200 examples are real answers.
 */
export const TOOL_ANSWER_EXAMPLES: { readonly anchor: string; readonly answers: Readonly<Record<string, unknown>> } = recorded;

export function recordedAnswer(tool: string): unknown {
  return TOOL_ANSWER_EXAMPLES.answers[tool];
}
