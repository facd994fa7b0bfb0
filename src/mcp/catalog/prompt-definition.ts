/** The kinds of value a prompt argument takes; every one arrives as a string and is checked before use. */
export type PromptArgumentType =
  | { readonly kind: 'id' }
  | { readonly kind: 'date' }
  | { readonly kind: 'text'; readonly maxLength: number }
  | { readonly kind: 'choice'; readonly values: readonly string[] };

/**
 * Where completion finds an argument's values: a tool (run through the tool-call pipeline like any call)
 * and how to read candidate values out of its answer for what the user has typed so far.
 */
export interface CompletionSource {
  readonly tool: string;
  arguments(typed: string): Record<string, unknown>;
  values(output: object, typed: string): string[];
}

export interface PromptArgumentDefinition {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly type: PromptArgumentType;
  readonly completion?: CompletionSource;
}

/** One tool call a prompt asks the model to make, shown to it with its arguments. */
export interface SuggestedCall {
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  /** What the call is for, in a few words. */
  readonly purpose: string;
}

/** The parsed arguments of a prompt: ids as numbers, everything else as checked strings; absent optionals are missing. */
export type PromptArguments = Readonly<Record<string, string | number | undefined>>;

export interface PromptDefinition {
  /** `verb_noun` snake_case, like tools. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgumentDefinition[];
  /** The calls to make, in order, for these arguments at this instant. */
  calls(args: PromptArguments, now: Date): SuggestedCall[];
  /** The task in one sentence, for these arguments. */
  task(args: PromptArguments): string;
  /** How to present the answer. */
  readonly presentation: string;
}

export const MCP_PROMPTS = Symbol('MCP_PROMPTS');
