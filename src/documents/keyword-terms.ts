// Words that carry no topic in a question; PostgreSQL's english configuration drops its own stop
// words too, but not these, which appear in most help pages and would match nearly every chunk.
const QUESTION_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'can', 'could', 'do', 'does', 'for', 'from', 'get', 'have', 'how', 'i',
  'if', 'in', 'is', 'it', 'me', 'my', 'of', 'on', 'or', 'should', 'tell', 'that', 'the', 'there', 'to', 'use',
  'what', 'when', 'where', 'which', 'who', 'why', 'will', 'with', 'would', 'you', 'your', 'we', 'our', 'about', 'need',
  'want', 'know', 'please', 'any', 'some', 'way', 'much', 'many',
]);
const MAX_TERMS = 32;
const MAX_TERM_LENGTH = 64;

/**
 * The question as a tsquery that ORs its words: a natural question rarely has all of its words
 * in one passage, and cover-density ranking puts the passages holding more of them first. Only
 * letters and digits survive, so nothing in the question is read as tsquery syntax. Empty when
 * no word is left.
 */
export function keywordTerms(question: string): string {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = new Set<string>();
  for (const word of words) {
    if (!QUESTION_WORDS.has(word) && kept.size < MAX_TERMS) {
      kept.add(word.slice(0, MAX_TERM_LENGTH));
    }
  }
  return [...kept].join(' | ');
}

/** The question as the query-vector cache keys it: case and spacing do not make a different question. */
export function normalizedQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
